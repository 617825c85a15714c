package org.peekaboo.expansion;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * An entry's bytes checked against the CRC-32 and size the archive declares, at their end. Commons
 * Compress checks neither, so a corrupt deflated entry would otherwise be judged as whatever garbage
 * it inflates to, and a forged size would go unnoticed. An entry read from its local header whose
 * CRC and size follow in a data descriptor does not know them yet when its data ends: it is not
 * checked (such an archive lacks its central directory and is reported unreadable anyway).
 */
final class ZipCheckedStream extends FilterInputStream {
    private final CRC32 crc = new CRC32();
    private final ZipArchiveEntry entry;
    private long size;
    private boolean checked;

    ZipCheckedStream(InputStream in, ZipArchiveEntry entry) {
        super(in);
        this.entry = entry;
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
        // Negative when unknown (a local header whose descriptor was not read).
        long expectedSize = entry.getSize();
        long expectedCrc = entry.getCrc();
        if (expectedSize >= 0 && size != expectedSize) {
            throw new IOException("the entry has " + size + " bytes but the archive says " + expectedSize);
        }
        if (expectedCrc >= 0 && crc.getValue() != expectedCrc) {
            throw new IOException("CRC-32 mismatch: the entry's data is corrupt");
        }
    }
}
