package org.peekaboo.expansion;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * An entry's bytes checked against the CRC-32 and size its central directory declares, at their end.
 * Commons Compress' {@code ZipFile} checks neither, so a corrupt deflated entry would otherwise be
 * judged as whatever garbage it inflates to, and a forged size would go unnoticed.
 */
final class ZipCheckedStream extends FilterInputStream {
    private final CRC32 crc = new CRC32();
    private final long expectedCrc;
    private final long expectedSize;
    private long size;
    private boolean checked;

    /**
     * @param expectedCrc  the declared CRC-32, or negative when unknown
     * @param expectedSize the declared size, or negative when unknown
     */
    ZipCheckedStream(InputStream in, long expectedCrc, long expectedSize) {
        super(in);
        this.expectedCrc = expectedCrc;
        this.expectedSize = expectedSize;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int read = read(one, 0, 1);
        return read == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = in.read(buffer, offset, length);
        if (read == -1) {
            check();
            return -1;
        }
        crc.update(buffer, offset, read);
        size += read;
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would escape the checksum; nothing here needs to skip.
        throw new IOException("skip is not supported");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws IOException {
        if (checked) {
            return;
        }
        checked = true;
        if (expectedSize >= 0 && size != expectedSize) {
            throw new IOException("the entry has " + size + " bytes but its directory says " + expectedSize);
        }
        if (expectedCrc >= 0 && crc.getValue() != expectedCrc) {
            throw new IOException("CRC-32 mismatch: the entry's data is corrupt");
        }
    }
}
