package org.peekaboo.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.peekaboo.sample.magic.TikaMagic;

/**
 * The first bytes of a file and the file's size: everything content type detection
 * looks at. Whoever reads a sample anyway (to hash it) keeps its first {@link #LENGTH}
 * bytes in one of these, and the file is not opened a second time for its type.
 * Immutable: the bytes are copied in and never handed out.
 */
public final class FileHead {
    /**
     * How many first bytes detection needs: all that Tika reads (64 KiB), because its
     * text check and its XML check read all of them.
     */
    public static final int LENGTH = TikaMagic.HEAD_LENGTH;

    private final byte[] bytes;
    private final long size;

    private FileHead(byte[] bytes, long size) {
        this.bytes = bytes;
        this.size = size;
    }

    /**
     * The head of a file of {@code size} bytes from its first {@code length} bytes in
     * {@code firstBytes} (copied; bytes beyond {@link #LENGTH} are ignored).
     *
     * @throws IllegalArgumentException when fewer than the first {@code min(size, LENGTH)}
     *                                  bytes are given: the type could come out wrong
     */
    public static FileHead of(byte[] firstBytes, int length, long size) {
        if (length < 0 || length > firstBytes.length || size < length) {
            throw new IllegalArgumentException("A head of " + length + " bytes in an array of " + firstBytes.length
                    + " for a file of " + size + " bytes");
        }
        long needed = Math.min(size, LENGTH);
        if (length < needed) {
            throw new IllegalArgumentException("Type detection needs the first " + needed + " bytes of a file of "
                    + size + " bytes, not " + length);
        }
        return new FileHead(Arrays.copyOf(firstBytes, (int) needed), size);
    }

    /** Reads the head of {@code file}; only its first {@link #LENGTH} bytes are read. */
    public static FileHead read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(LENGTH);
            long size = head.length < LENGTH ? head.length : Math.max(LENGTH, Files.size(file));
            return new FileHead(head, size);
        }
    }

    /** The size of the whole file. */
    public long size() {
        return size;
    }

    /** How many bytes the head holds: {@code min(size, LENGTH)}. */
    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The bytes themselves, for detection within this package; never to be changed. */
    byte[] bytes() {
        return bytes;
    }
}
