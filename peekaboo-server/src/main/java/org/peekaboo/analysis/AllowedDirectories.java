package org.peekaboo.analysis;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.PathText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories whose files clients may ask about. A client names files by path and
 * Peekaboo reads them with its own rights, so without this check any local client could
 * make the daemon read (and report on) files it may not see itself. Paths are compared
 * after resolving symbolic links, so a link inside an allowed directory cannot point out;
 * files with more than one name are refused, so a hard link cannot either. The check is of
 * names and can be raced; {@link org.peekaboo.sample.SampleReader} checks the descriptor it
 * opens against what this check saw, so a file swapped meanwhile is not read.
 */
public final class AllowedDirectories {
    /** The one reason given to clients for every file they may not have read. */
    public static final String UNREADABLE = "is not a readable regular file in the directories Peekaboo may read";
    private static final Logger LOG = LoggerFactory.getLogger(AllowedDirectories.class);
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
     * The file a client named, checked: an absolute path whose real path lies in an allowed
     * directory and leads to a readable regular file with a single name. Any other file is
     * rejected with {@link #UNREADABLE} whatever the reason, so that clients cannot probe what
     * exists outside the allowed directories (missing, unreadable, outside, a link pointing out
     * and a hard link all look the same); the log has the reason. Only syntax (an invalid or
     * relative path) is told apart, as it says nothing about the file system.
     */
    public CheckedFile check(String fullName) {
        Path requested;
        try {
            requested = Path.of(fullName);
        } catch (InvalidPathException e) {
            throw new RejectedRequestException("Invalid path " + PathText.quoted(fullName) + ": " + e.getReason());
        }
        if (!requested.isAbsolute()) {
            throw new RejectedRequestException("Path " + PathText.quoted(fullName) + " is not absolute");
        }
        try {
            Path real = requested.toRealPath();
            if (roots.stream().noneMatch(real::startsWith)) {
                throw new IOException("outside the allowed directories, at " + PathText.quoted(real));
            }
            CheckedFile checked = CheckedFile.at(real);
            if (!Files.isReadable(real)) {
                throw new IOException("not readable by Peekaboo");
            }
            return checked;
        } catch (IOException e) {
            LOG.info("Refused path {}: {}", PathText.quoted(fullName), reason(e));
            throw new RejectedRequestException("Path " + PathText.quoted(fullName) + " " + UNREADABLE);
        }
    }

    /** The precise reason for the log; the JDK's messages repeat the client's path unescaped. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystem) {
            return "cannot be resolved: " + fileSystem.getReason();
        }
        return e.getMessage();
    }

    private static Path realOrNormalised(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }
}
