package org.peekaboo.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The private snapshot of a sample's bytes, read once from the client's file: its hash, type
 * detection, every rule, the Office inspectors and the Cortex upload all read this, never the
 * client's path, so they all judge the same bytes whatever happens to the file meanwhile. Small
 * contents live in memory, larger ones in a 0600 file of the daemon's {@link SampleSpool}.
 * {@link #close()} deletes any such file; it is called once every sample of a request that uses
 * this content is judged. Thread-safe: the samples of one request share their file's content.
 */
public final class SampleContent implements AutoCloseable {
    private final String sha256;
    private final long size;
    private final FileHead head;
    /** The whole content, or null when it is in {@link #spooled}. */
    private final byte[] bytes;
    private final SampleSpool spool;
    /** Gives the memory of an in-memory content back to its reader's budget; run once, on close. */
    private final Runnable release;
    /** Guarded by {@code this}: the file holding the content, if there is one yet. */
    private Path file;
    private boolean closed;

    private SampleContent(String sha256, long size, FileHead head, byte[] bytes, Path file, SampleSpool spool,
                          Runnable release) {
        this.release = release;
        this.sha256 = sha256;
        this.size = size;
        this.head = head;
        this.bytes = bytes;
        this.file = file;
        this.spool = spool;
    }

    /**
     * Content held in memory; {@code bytes} are kept, not copied, and never changed. {@code release}
     * runs once, when the content is closed.
     */
    static SampleContent inMemory(byte[] bytes, String sha256, SampleSpool spool, Runnable release) {
        return new SampleContent(sha256, bytes.length, FileHead.of(bytes, bytes.length, bytes.length), bytes, null,
                spool, release);
    }

    /** Content in {@code file} of the spool, {@code size} bytes long, whose first bytes are {@code head}. */
    static SampleContent spooled(Path file, long size, FileHead head, String sha256) {
        return new SampleContent(sha256, size, head, null, file, null, () -> { });
    }

    /** Content of the given bytes (copied), for samples made without a client's file (tests, warm-up). */
    public static SampleContent of(byte[] bytes, SampleSpool spool) {
        byte[] copy = bytes.clone();
        return inMemory(copy, HexFormat.of().formatHex(SampleIdentity.sha256().digest(copy)),
                Objects.requireNonNull(spool, "spool"), () -> { });
    }

    /** Lower-case hex SHA-256 of the content. */
    public String sha256() {
        return sha256;
    }

    public long size() {
        return size;
    }

    /** The first bytes, all that type detection looks at. */
    public FileHead head() {
        return head;
    }

    /** The content from its start; each call is a stream of its own. */
    public InputStream openStream() throws IOException {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        return Files.newInputStream(file());
    }

    /** The whole content in a new array; for uploads that need it at once. */
    public byte[] readAllBytes() throws IOException {
        if (bytes != null) {
            return bytes.clone();
        }
        return Files.readAllBytes(file());
    }

    /**
     * A file of the daemon's holding the content, for libraries that only read files (POI,
     * {@code ZipFile}); written on first use for content held in memory. Only to be read.
     */
    public synchronized Path file() throws IOException {
        if (closed) {
            throw new IOException("The content of sample " + sha256 + " is discarded: its judgement has ended");
        }
        if (file == null) {
            Path copy = spool.newFile();
            try {
                Files.write(copy, bytes);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(copy);
                throw e;
            }
            file = copy;
        }
        return file;
    }

    /** Deletes the file holding the content, if any. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            release.run();
        }
        closed = true;
        if (file != null) {
            Path gone = file;
            file = null;
            Files.deleteIfExists(gone);
        }
    }

    @Override
    public String toString() {
        return "SampleContent[" + sha256 + ", " + size + " bytes" + (bytes == null ? ", spooled" : "") + "]";
    }
}
