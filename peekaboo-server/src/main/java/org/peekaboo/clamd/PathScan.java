package org.peekaboo.clamd;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.ScanService.RejectedRequestException;

/**
 * The files a SCAN-like command names: the file itself, or every regular file under a directory
 * (recursively, as clamd does, without following links). Every file passes the allowed-directories
 * check; whatever may not be read is answered {@code Access denied.} alike, so that clients cannot
 * probe what exists outside. Blocks on the file system: runs off the event loop.
 *
 * @param files  the files to judge, in a stable order, as paths under the one the client named
 * @param errors reply lines for what could not be scanned
 */
record PathScan(List<String> files, List<String> errors) {
    static final String ACCESS_DENIED = "Access denied.";
    /** Deeper trees are not walked further; amavis' parts directory is flat. */
    static final int MAX_DEPTH = 64;

    PathScan {
        files = List.copyOf(files);
        errors = List.copyOf(errors);
    }

    static PathScan of(String named, AllowedDirectories allowed, int maxFiles) {
        Path path;
        try {
            path = Path.of(named);
        } catch (InvalidPathException e) {
            return denied(named);
        }
        if (!path.isAbsolute()) {
            return denied(named);
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                allowed.check(named);
                return new PathScan(List.of(named), List.of());
            } catch (RejectedRequestException e) {
                return denied(named);
            }
        }
        try {
            Path real = path.toRealPath();
            if (allowed.roots().stream().noneMatch(real::startsWith)) {
                return denied(named);
            }
            List<Path> found = new ArrayList<>();
            boolean[] tooMany = {false};
            Files.walkFileTree(path, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            if (attributes.isRegularFile()) {
                                if (found.size() >= maxFiles) {
                                    tooMany[0] = true;
                                    return FileVisitResult.TERMINATE;
                                }
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
            if (tooMany[0]) {
                return new PathScan(List.of(), List.of(ClamdReplies.error(named,
                        "Peekaboo scans at most " + maxFiles + " files per command.")));
            }
            found.sort(null);
            List<String> files = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Path file : found) {
                try {
                    allowed.check(file.toString());
                    files.add(file.toString());
                } catch (RejectedRequestException e) {
                    errors.add(ClamdReplies.error(file.toString(), ACCESS_DENIED));
                }
            }
            return new PathScan(files, errors);
        } catch (IOException | RuntimeException e) {
            return denied(named);
        }
    }

    private static PathScan denied(String named) {
        return new PathScan(List.of(), List.of(ClamdReplies.error(named, ACCESS_DENIED)));
    }
}
