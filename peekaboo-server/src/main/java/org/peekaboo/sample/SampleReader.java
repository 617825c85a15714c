package org.peekaboo.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a client's file once into a private {@link SampleContent}. The file is opened without
 * following a link and without blocking ({@link FileOpener}); then the open descriptor, not the
 * name, is checked: a regular file with one name, the very file (device and inode) the path check
 * saw, still at the path that was checked. It is read through that descriptor, hashed on the way,
 * and its size and times are compared before and after: a file that changed while being read gives
 * a {@link SampleChangedException}, never a content mixed from two files. Files above the size
 * limit are not read at all, and a read that outlasts its deadline is abandoned, so neither a
 * huge nor a slow file holds a worker. Stateless apart from its settings; thread-safe.
 */
public final class SampleReader implements SampleSource {
    static final int BUFFER_SIZE = 64 * 1024;
    /** Contents up to this size are kept in memory; larger ones go to the spool. */
    static final int IN_MEMORY_LIMIT = 1024 * 1024;
    /**
     * Bytes all contents in memory may take together. A snapshot is held until its request's samples
     * are judged, so a request of a thousand 1 MiB parts waiting for workers would otherwise hold a
     * gigabyte; beyond this, small contents are spooled like large ones. A tenth of the launcher's
     * default heap (80 MB).
     */
    static final long MEMORY_BUDGET = 8L * 1024 * 1024;
    private static final String ATTRIBUTES = "unix:dev,ino,nlink,mode,size,lastModifiedTime,ctime";

    private final FileOpener opener;
    private final SampleSpool spool;
    private final long maxSize;
    private final long memoryBudget;
    private final AtomicLong inMemory = new AtomicLong();

    /**
     * @param maxSize largest file read, in bytes ({@code [analysis] max_sample_size}); larger ones
     *                give a {@link SampleTooLargeException}
     */
    public SampleReader(FileOpener opener, SampleSpool spool, long maxSize) {
        this(opener, spool, maxSize, MEMORY_BUDGET);
    }

    SampleReader(FileOpener opener, SampleSpool spool, long maxSize, long memoryBudget) {
        this.memoryBudget = memoryBudget;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.spool = Objects.requireNonNull(spool, "spool");
        if (maxSize < 0) {
            throw new IllegalArgumentException("max size " + maxSize + " < 0");
        }
        this.maxSize = maxSize;
    }

    public SampleSpool spool() {
        return spool;
    }

    @Override
    public SampleContent read(CheckedFile checked, long deadlineNanos) throws IOException {
        Objects.requireNonNull(checked, "checked");
        FileOpener.OpenFile open;
        try {
            open = opener.open(checked.realPath());
        } catch (IOException e) {
            // It passed the path check a moment ago: whatever is there now is another file.
            throw new SampleChangedException("cannot be opened any more: " + e.getMessage(), e);
        }
        try (open) {
            Path descriptor = open.procPath();
            Map<String, Object> before = Files.readAttributes(descriptor, ATTRIBUTES);
            verify(checked, descriptor, before);
            long size = (Long) before.get("size");
            if (size > maxSize) {
                throw new SampleTooLargeException(size, maxSize);
            }
            SampleContent content = copy(descriptor, size, deadlineNanos);
            try {
                Map<String, Object> after = Files.readAttributes(descriptor, ATTRIBUTES);
                for (String attribute : new String[] {"size", "lastModifiedTime", "ctime"}) {
                    if (!before.get(attribute).equals(after.get(attribute))) {
                        throw new SampleChangedException("changed while being read: " + attribute + " was "
                                + before.get(attribute) + ", is " + after.get(attribute));
                    }
                }
                return content;
            } catch (IOException | RuntimeException e) {
                content.close();
                throw e;
            }
        }
    }

    private static void verify(CheckedFile checked, Path descriptor, Map<String, Object> opened) throws IOException {
        String refusal = CheckedFile.refusal(opened);
        if (refusal != null) {
            throw new SampleChangedException("the file opened is " + refusal);
        }
        if (!CheckedFile.keyOf(opened).equals(checked.key())) {
            throw new SampleChangedException("the file opened is not the file checked: " + CheckedFile.keyOf(opened)
                    + " instead of " + checked.key());
        }
        // The kernel's name for the open file: a directory on the way that was swapped for a link
        // since the check shows here, as does a rename.
        Path location = Files.readSymbolicLink(descriptor);
        if (!location.equals(checked.realPath())) {
            throw new SampleChangedException("the file opened is at " + PathText.quoted(location) + " by now");
        }
    }

    /** Reads exactly {@code size} bytes through the descriptor, hashing them, into memory or the spool. */
    private SampleContent copy(Path descriptor, long size, long deadlineNanos) throws IOException {
        MessageDigest digest = SampleIdentity.sha256();
        // Opening /proc/self/fd/<n> opens the descriptor's file, checked above, whatever its name now.
        try (InputStream in = Files.newInputStream(descriptor)) {
            if (size <= IN_MEMORY_LIMIT && reserve(size)) {
                Runnable release = () -> inMemory.addAndGet(-size);
                try {
                    byte[] content = new byte[(int) size];
                    long read = readFully(in, content, deadlineNanos);
                    if (read == size && in.read() != -1) {
                        read++; // it grew while being read
                    }
                    checkLength(read, size);
                    digest.update(content);
                    return SampleContent.inMemory(content, HexFormat.of().formatHex(digest.digest()), spool, release);
                } catch (IOException | RuntimeException e) {
                    release.run();
                    throw e;
                }
            }
            Path file = spool.newFile();
            try {
                byte[] buffer = new byte[BUFFER_SIZE];
                byte[] head = new byte[FileHead.LENGTH];
                int headLength = 0;
                long total = 0;
                try (OutputStream out = Files.newOutputStream(file)) {
                    int read;
                    while ((read = in.read(buffer)) != -1) {
                        checkDeadline(deadlineNanos, total);
                        if (headLength < head.length) {
                            int taken = Math.min(read, head.length - headLength);
                            System.arraycopy(buffer, 0, head, headLength, taken);
                            headLength += taken;
                        }
                        total += read;
                        if (total > size) {
                            break;
                        }
                        digest.update(buffer, 0, read);
                        out.write(buffer, 0, read);
                    }
                }
                checkLength(total, size);
                return SampleContent.spooled(file, size, FileHead.of(head, headLength, size),
                        HexFormat.of().formatHex(digest.digest()));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    }

    private boolean reserve(long size) {
        if (inMemory.addAndGet(size) <= memoryBudget) {
            return true;
        }
        inMemory.addAndGet(-size);
        return false;
    }

    private static int readFully(InputStream in, byte[] bytes, long deadlineNanos) throws IOException {
        int total = 0;
        while (total < bytes.length) {
            checkDeadline(deadlineNanos, total);
            int read = in.read(bytes, total, Math.min(BUFFER_SIZE, bytes.length - total));
            if (read == -1) {
                break;
            }
            total += read;
        }
        return total;
    }

    private static void checkLength(long read, long size) throws SampleChangedException {
        if (read != size) {
            throw new SampleChangedException("changed while being read: " + (read > size ? "more than " : "")
                    + read + " bytes read of a file of " + size);
        }
    }

    private static void checkDeadline(long deadlineNanos, long read) throws IOException {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IOException("reading took longer than the request may last; " + read + " bytes read");
        }
    }
}
