package org.peekaboo.analysis;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.analysis.ScanService.RejectedRequestException;

/**
 * The directories whose files clients may ask about. A client names files by path and
 * Peekaboo reads them with its own rights, so without this check any local client could
 * make the daemon read (and report on) files it may not see itself. Paths are compared
 * after resolving symbolic links, so a link inside an allowed directory cannot point out.
 */
public final class AllowedDirectories {
    private final List<Path> roots;

    private AllowedDirectories(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /**
     * Resolves each directory to its real path now; a directory that does not exist yet
     * (amavis creates its temp directory later) is kept in normalised absolute form.
     */
    public static AllowedDirectories of(List<Path> directories) {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("at least one allowed directory is required");
        }
        List<Path> roots = new ArrayList<>();
        for (Path directory : directories) {
            if (!directory.isAbsolute()) {
                throw new IllegalArgumentException("allowed directory " + directory + " is not absolute");
            }
            roots.add(realOrNormalised(directory));
        }
        return new AllowedDirectories(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The real path of a file a client named, or a rejection whose message tells the
     * client what is wrong with it.
     */
    public Path resolve(String fullName) {
        Path requested;
        try {
            requested = Path.of(fullName);
        } catch (InvalidPathException e) {
            throw new RejectedRequestException("Invalid path " + quoted(fullName) + ": " + e.getReason());
        }
        if (!requested.isAbsolute()) {
            throw new RejectedRequestException("Path " + quoted(fullName) + " is not absolute");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            throw new RejectedRequestException("Path " + quoted(fullName) + " does not exist");
        } catch (AccessDeniedException e) {
            throw new RejectedRequestException("Path " + quoted(fullName) + " cannot be accessed: permission denied");
        } catch (IOException e) {
            throw new RejectedRequestException("Path " + quoted(fullName) + " cannot be accessed: " + e.getMessage());
        }
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new RejectedRequestException("Path " + quoted(fullName)
                    + " is outside the directories Peekaboo may read");
        }
        if (!Files.isRegularFile(real)) {
            throw new RejectedRequestException("Path " + quoted(fullName) + " is not a regular file");
        }
        if (!Files.isReadable(real)) {
            throw new RejectedRequestException("File " + quoted(fullName) + " is not readable by Peekaboo");
        }
        return real;
    }

    private static Path realOrNormalised(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }

    private static String quoted(String path) {
        StringBuilder quoted = new StringBuilder("\"");
        path.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", c));
            } else if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }
}
