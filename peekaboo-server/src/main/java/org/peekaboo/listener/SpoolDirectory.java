package org.peekaboo.listener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where data a client streams in waits for the engine, which judges files by path: a private
 * directory (mode 0700) that the daemon adds to the allowed directories. Each stream is one file
 * in it (mode 0600, no extension: the type comes from the content), deleted once its analysis
 * is done.
 */
public final class SpoolDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectory.class);
    private final Path directory;

    private SpoolDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * A fresh private directory in the system's temporary directory.
     *
     * @param prefix the start of its name, telling which front end it belongs to
     */
    public static SpoolDirectory create(String prefix) {
        try {
            return new SpoolDirectory(Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toRealPath());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the spool directory " + prefix + "*: " + e, e);
        }
    }

    /** Uses an existing directory, e.g. a test's. */
    public static SpoolDirectory in(Path directory) {
        return new SpoolDirectory(directory);
    }

    public Path directory() {
        return directory;
    }

    /** A new empty file that only this process's user may read. */
    public Path newFile(String prefix) throws IOException {
        return Files.createTempFile(directory, prefix, "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the spooled file {}: {}", file, e.toString());
        }
    }

    /** Removes the directory with whatever is left in it. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(this::delete);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.warn("Could not remove the spool directory {}: {}", directory, e.toString());
        }
    }
}
