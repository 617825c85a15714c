package org.peekaboo.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of the embedded database: kept private to its owner (and group) and watched
 * for free space. Thread-safe.
 *
 * <p>Analyses name the attachments of other people's mail, so the directory is at most
 * {@code rwxr-x---} and the files in it at most {@code rw-r-----}. The JVM cannot set its umask,
 * and H2 creates its files with the process's umask (0644 under the usual 022), so the files are
 * tightened after they appear: when the database opens and at every free-space check. The
 * directory's own mode keeps others out meanwhile.
 */
public final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    /** Below this the database cannot be expected to write a chunk: it stays down until there is more. */
    static final long ROOM_TO_WRITE = 1024 * 1024;
    private static final Set<PosixFilePermission> FORBIDDEN_ON_DIRECTORY = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> FORBIDDEN_ON_FILES = EnumSet.of(
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path directory;
    private final long warnBelow;
    private final AtomicBoolean low = new AtomicBoolean();

    /**
     * @param warnBelow free bytes below which {@link #check()} warns (once, until there is
     *                  more again); 0 never warns
     */
    public DataDirectory(Path directory, long warnBelow) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        if (warnBelow < 0) {
            throw new IllegalArgumentException("free space threshold must not be negative, got " + warnBelow);
        }
        this.warnBelow = warnBelow;
    }

    public Path path() {
        return directory;
    }

    /**
     * Tightens permissions and warns about low free space; never throws, so that it can run on
     * a schedule. Logs once when space runs low and once when there is enough again.
     */
    public void check() {
        tightenPermissions();
        long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            LOG.debug("Cannot tell the free space in data directory {}: {}", directory, e.toString());
            return;
        }
        if (free < warnBelow) {
            if (low.compareAndSet(false, true)) {
                LOG.warn("Data directory {} has only {} free (warning below {}); when it is full the database"
                        + " stops and every request is answered unchecked until space is freed",
                        directory, mib(free), mib(warnBelow));
            }
        } else if (low.compareAndSet(true, false)) {
            LOG.info("Data directory {} has {} free again", directory, mib(free));
        }
    }

    /** Whether low free space has been warned about and not yet found remedied. */
    public boolean low() {
        return low.get();
    }

    /**
     * Fails unless the database could write now: enough free space, a writable directory.
     * Run before a broken database is reopened, which would otherwise fail again at its first write.
     */
    void requireRoomToWrite() throws IOException {
        long free = Files.getFileStore(directory).getUsableSpace();
        if (free < ROOM_TO_WRITE) {
            throw new IOException("data directory " + directory + " has only " + free + " bytes free");
        }
        if (!Files.isWritable(directory)) {
            throw new IOException("data directory " + directory + " is not writable");
        }
    }

    /** At most {@code rwxr-x---} for the directory and {@code rw-r-----} for the files in it. */
    void tightenPermissions() {
        try {
            restrict(directory, FORBIDDEN_ON_DIRECTORY);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        restrict(file, FORBIDDEN_ON_FILES);
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("Cannot restrict the permissions in data directory {}: {}", directory, e.toString());
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> forbidden) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (permissions.removeAll(forbidden)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (NoSuchFileException vanished) {
            // H2 deletes its temporary files when it likes.
        }
    }

    private static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }
}
