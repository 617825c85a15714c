package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;

/**
 * Tells whether a password opens an encrypted member by reading it to the end, where its checksum
 * or MAC is verified, discarding the bytes. A wrong password passes the one-byte check of ZipCrypto
 * once in 256 tries and then yields garbage; copying that through {@link ExpansionBudget#copy} would
 * spend the size budget on it. The read stops at {@code cap} bytes: a member that large reaches a
 * limit when it is copied anyway, so the password is taken as right and the copy reports the limit.
 */
final class EncryptedTrial {
    private static final int BUFFER_SIZE = 64 * 1024;

    private EncryptedTrial() {
    }

    /**
     * Reads {@code in} to its end or to {@code cap} bytes.
     *
     * @throws IOException whatever the stream throws (a wrong password, mostly), or the time limit
     */
    static void readThrough(InputStream in, long cap, ExpansionBudget budget) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            budget.checkTime();
            total += read;
            if (total >= cap) {
                return;
            }
        }
    }

    /** The bytes worth reading on trial: beyond them the copy reaches the size or ratio limit. */
    static long cap(ExpansionBudget budget, long packedSize) {
        long left = Math.max(0, budget.settings().maxUnpackedSize() - budget.unpacked()) + 1;
        if (packedSize <= 0) {
            return left;
        }
        int ratio = budget.settings().maxRatio();
        long bomb = packedSize > Long.MAX_VALUE / ratio / 2 ? Long.MAX_VALUE / 2 : packedSize * ratio;
        return Math.min(left, Math.max(budget.settings().ratioThreshold(), bomb) + 1);
    }
}
