package org.peekaboo.amavis.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;

/**
 * A directory for one test class that user amavis may traverse (JUnit's temporary
 * directories are private to root, so amavis could not reach Peekaboo's socket in one).
 * Short, because a Unix socket path may have at most 107 bytes.
 */
public final class TestWorkDir implements AutoCloseable {
    private final Path path;

    private TestWorkDir(Path path) {
        this.path = path;
    }

    public static TestWorkDir create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new TestWorkDir(dir);
    }

    public Path path() {
        return path;
    }

    /** A subdirectory amavis may traverse. */
    public Path open(String name) throws IOException {
        Path dir = Files.createDirectories(path.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Override
    public void close() throws IOException {
        try (var paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
