package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A file found in a disk image, with a path inside the image ({@code docs/invoice.lnk}) and its bytes.
 * Only valid while the image it was listed from is open.
 */
final class DiskFile {
    private final String path;
    private final DiskSource data;

    DiskFile(String path, DiskSource data) {
        this.path = Objects.requireNonNull(path, "path");
        this.data = data;
    }

    /** The path inside the image, {@code /}-separated. */
    String path() {
        return path;
    }

    /** The file's size in bytes, or -1 when only its name could be read. */
    long size() {
        return data == null ? -1 : data.size();
    }

    /** Whether the bytes can be read (an NTFS file spread over an attribute list cannot). */
    boolean readable() {
        return data != null;
    }

    /** The first {@code length} bytes at most; empty when the bytes cannot be read. */
    byte[] head(int length) throws IOException {
        if (data == null) {
            return new byte[0];
        }
        return data.read(0, (int) Math.min(length, data.size()));
    }

    InputStream stream() throws IOException {
        if (data == null) {
            throw new IOException("the content of \"" + path + "\" cannot be read");
        }
        return data.stream();
    }

    @Override
    public String toString() {
        return path;
    }
}
