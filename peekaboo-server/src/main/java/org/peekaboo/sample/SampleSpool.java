package org.peekaboo.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's private directory (0700) for snapshots of samples too large to keep in memory, and
 * for copies of small ones handed to libraries that only read files. Each file in it is 0600 and
 * belongs to one {@link SampleContent}, which deletes it when the sample's judgement ends.
 */
public final class SampleSpool {
    /**
     * Bytes that contents made by a {@link ContentWriter} (members of archives and messages) may hold
     * in memory together; beyond it they are written here. A tenth of the launcher's default heap,
     * beside the same amount for clients' files ({@link SampleReader#MEMORY_BUDGET}).
     */
    static final long MEMORY_BUDGET = 8L * 1024 * 1024;

    private final Path parent;
    private final AtomicLong inMemory = new AtomicLong();
    /** Guarded by {@code this}; made when the first file is needed, so a daemon that never spools makes none. */
    private Path directory;

    private SampleSpool(Path parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    /** A spool in a new private directory under {@code parent}. */
    public static SampleSpool under(Path parent) {
        return new SampleSpool(parent);
    }

    /** A spool in a new private directory under the system's temporary directory. */
    public static SampleSpool inTemporaryDirectory() {
        return under(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Takes {@code bytes} of the memory budget; false, taking nothing, when they do not fit. */
    boolean reserveMemory(long bytes) {
        if (inMemory.addAndGet(bytes) <= MEMORY_BUDGET) {
            return true;
        }
        inMemory.addAndGet(-bytes);
        return false;
    }

    void releaseMemory(long bytes) {
        inMemory.addAndGet(-bytes);
    }

    /** Bytes of the memory budget in use; for tests. */
    long memoryInUse() {
        return inMemory.get();
    }

    /** A new empty file only this process may read or write. */
    Path newFile() throws IOException {
        return Files.createTempFile(directory(), "sample-", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    synchronized Path directory() throws IOException {
        if (directory == null || !Files.isDirectory(directory)) {
            directory = Files.createTempDirectory(parent, "peekaboo-samples-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            directory.toFile().deleteOnExit();
        }
        return directory;
    }
}
