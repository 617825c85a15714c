package org.peekaboo.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Makes a {@link SampleContent} of bytes that come from no client's file, such as the members an
 * archive or a message holds: hashed on the way, kept in memory while small and while the spool's
 * memory budget allows, written to a 0600 file of the spool otherwise. {@link #finish()} hands the
 * content over; {@link #close()} without it discards what was written. Not thread-safe.
 */
public final class ContentWriter extends OutputStream {
    private final SampleSpool spool;
    private final MessageDigest digest = SampleIdentity.sha256();
    /** The first bytes of a content written to the spool, for type detection; null while in memory. */
    private byte[] head;
    private int headLength;
    private long size;
    /** Bytes so far while in memory; null once spilled to {@link #file}. */
    private byte[] buffer = new byte[0];
    private long reserved;
    private Path file;
    private OutputStream out;
    private boolean done;

    private ContentWriter(SampleSpool spool) {
        this.spool = Objects.requireNonNull(spool, "spool");
    }

    /** A writer whose content will live in {@code spool} (or in memory, within its budget). */
    public static ContentWriter into(SampleSpool spool) {
        return new ContentWriter(spool);
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (done) {
            throw new IOException("content already finished or discarded");
        }
        digest.update(bytes, offset, length);
        if (buffer != null && fitsInMemory(size + length)) {
            System.arraycopy(bytes, offset, buffer, (int) size, length);
        } else {
            if (buffer != null) {
                spill();
            }
            if (headLength < head.length) {
                int taken = Math.min(length, head.length - headLength);
                System.arraycopy(bytes, offset, head, headLength, taken);
                headLength += taken;
            }
            out.write(bytes, offset, length);
        }
        size += length;
    }

    /** Grows the buffer to hold {@code total} bytes, within the limit and the spool's budget. */
    private boolean fitsInMemory(long total) {
        if (total <= buffer.length) {
            return true;
        }
        if (total > SampleReader.IN_MEMORY_LIMIT) {
            return false;
        }
        int capacity = (int) Math.min(SampleReader.IN_MEMORY_LIMIT, Math.max(buffer.length * 2L, Math.max(total, 8192)));
        if (!spool.reserveMemory(capacity - reserved)) {
            return false;
        }
        reserved = capacity;
        buffer = Arrays.copyOf(buffer, capacity);
        return true;
    }

    private void spill() throws IOException {
        head = new byte[FileHead.LENGTH];
        headLength = (int) Math.min(size, head.length);
        System.arraycopy(buffer, 0, head, 0, headLength);
        file = spool.newFile();
        out = Files.newOutputStream(file);
        out.write(buffer, 0, (int) size);
        buffer = null;
        releaseMemory();
    }

    private void releaseMemory() {
        if (reserved > 0) {
            spool.releaseMemory(reserved);
            reserved = 0;
        }
    }

    /** The content written; the writer is done. The caller closes the content. */
    public SampleContent finish() throws IOException {
        if (done) {
            throw new IOException("content already finished or discarded");
        }
        done = true;
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (buffer != null) {
            byte[] bytes = buffer.length == size ? buffer : Arrays.copyOf(buffer, (int) size);
            long held = reserved;
            reserved = 0;
            buffer = null;
            // The budget is held until the content is closed, as for a client's file read into memory.
            if (held != 0 && held != bytes.length) {
                spool.releaseMemory(held - bytes.length);
                held = bytes.length;
            }
            long release = held;
            // A lambda that read the field would hold this writer, and its 64 KiB head, as long as the content.
            SampleSpool owner = spool;
            return SampleContent.inMemory(bytes, sha256, owner, () -> owner.releaseMemory(release));
        }
        try {
            out.close();
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return SampleContent.spooled(file, size, FileHead.of(head, headLength, size), sha256);
    }

    /** Discards what was written unless {@link #finish()} handed it over. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        buffer = null;
        releaseMemory();
        if (out != null) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
