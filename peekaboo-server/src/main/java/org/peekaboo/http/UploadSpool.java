package org.peekaboo.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where uploads wait for the engine, which judges files by path: a private directory (mode 0700)
 * that the daemon adds to the allowed directories. Each upload is one file in it, deleted once
 * its analysis is done.
 */
public final class UploadSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadSpool.class);
    private final Path directory;

    private UploadSpool(Path directory) {
        this.directory = directory;
    }

    /** A fresh private directory in the system's temporary directory. */
    public static UploadSpool create() {
        try {
            return new UploadSpool(Files.createTempDirectory("peekaboo-http-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toRealPath());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the HTTP front end's spool directory: " + e, e);
        }
    }

    public Path directory() {
        return directory;
    }

    Path newFile() throws IOException {
        return Files.createTempFile(directory, "upload", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete the spooled upload {}: {}", file, e.toString());
        }
    }

    /** Removes the directory with whatever is left in it. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(this::delete);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.warn("Could not remove the HTTP spool directory {}: {}", directory, e.toString());
        }
    }
}
