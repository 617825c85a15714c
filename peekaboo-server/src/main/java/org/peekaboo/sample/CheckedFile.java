package org.peekaboo.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A file as the path check saw it: its real path and which file was there. {@link SampleReader}
 * reads it only if the descriptor it opens leads to that very file, still at that path.
 *
 * @param realPath the real path (no symbolic links, no {@code ..}) inside an allowed directory
 * @param key      device and inode seen at {@code realPath}, without following a link
 */
public record CheckedFile(Path realPath, FileKey key) {
    /** {@code S_IFMT} and {@code S_IFREG} of {@code stat(2)}'s mode, the same on every Linux. */
    static final int FILE_TYPE_MASK = 0170000;
    static final int REGULAR_FILE = 0100000;

    public CheckedFile {
        Objects.requireNonNull(realPath, "realPath");
        Objects.requireNonNull(key, "key");
    }

    /**
     * The file at {@code realPath} if it is a regular file with a single name; an {@link IOException}
     * saying why not otherwise. A second name (a hard link) may lie outside the allowed directories,
     * and reading it would tell a client the hash of a file it may not read; amavis never makes one.
     */
    public static CheckedFile at(Path realPath) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(realPath, "unix:dev,ino,nlink,mode",
                LinkOption.NOFOLLOW_LINKS);
        String refusal = refusal(attributes);
        if (refusal != null) {
            throw new IOException(refusal);
        }
        return new CheckedFile(realPath, keyOf(attributes));
    }

    /** Why a file with these {@code unix:} attributes may not be read as a sample, or null. */
    static String refusal(Map<String, Object> attributes) {
        int mode = (Integer) attributes.get("mode");
        if ((mode & FILE_TYPE_MASK) != REGULAR_FILE) {
            return "not a regular file (mode " + Integer.toOctalString(mode) + ")";
        }
        int links = (Integer) attributes.get("nlink");
        if (links != 1) {
            return links == 0 ? "deleted" : "has " + links + " hard links";
        }
        return null;
    }

    static FileKey keyOf(Map<String, Object> attributes) {
        return new FileKey((Long) attributes.get("dev"), (Long) attributes.get("ino"));
    }
}
