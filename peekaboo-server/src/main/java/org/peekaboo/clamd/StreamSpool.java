package org.peekaboo.clamd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where INSTREAM data waits for the engine, which judges files by path. A private directory
 * (mode 0700) that the daemon adds to the allowed directories; each stream is one file in it
 * (mode 0600, no extension: the type comes from the content), deleted once its analysis is done.
 */
public final class StreamSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamSpool.class);
    private final Path directory;

    private StreamSpool(Path directory) {
        this.directory = directory;
    }

    /** A fresh private directory in the system's temporary directory. */
    public static StreamSpool create() {
        try {
            return new StreamSpool(Files.createTempDirectory("peekaboo-clamd-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toRealPath());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the clamd front end's spool directory: " + e, e);
        }
    }

    /** Uses an existing directory, e.g. a test's. */
    public static StreamSpool in(Path directory) {
        return new StreamSpool(directory);
    }

    public Path directory() {
        return directory;
    }

    Path newFile() throws IOException {
        return Files.createTempFile(directory, "stream", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the spooled stream {}: {}", file, e.toString());
        }
    }

    /** Removes the directory with whatever is left in it. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(this::delete);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.warn("Could not remove the clamd spool directory {}: {}", directory, e.toString());
        }
    }
}
