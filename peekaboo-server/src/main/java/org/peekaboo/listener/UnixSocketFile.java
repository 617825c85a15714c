package org.peekaboo.listener;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system side of the Unix listener: making room for the socket before binding and
 * giving it its permissions after. Never deletes anything it cannot prove to be a dead
 * socket, and never takes a socket away from a server that still answers on it.
 */
public final class UnixSocketFile {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketFile.class);
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_TYPE = 0140000;

    private UnixSocketFile() {
    }

    /** Creates the parent directory if missing and removes a stale socket left by a crashed run. */
    static void prepare(Path socketFile) {
        createParent(socketFile);
        if (!Files.exists(socketFile, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(socketFile)) {
            throw new ListenerException("Cannot listen on " + socketFile
                    + ": the path exists and is not a socket; remove it or configure another [server] socket_file");
        }
        if (answers(socketFile)) {
            throw new ListenerException("Cannot listen on " + socketFile
                    + ": another Peekaboo is listening on it; stop that one first or configure another "
                    + "[server] socket_file");
        }
        try {
            Files.deleteIfExists(socketFile);
            LOG.info("Removed stale socket {} left by an earlier run", socketFile);
        } catch (IOException e) {
            throw new ListenerException("Cannot remove the stale socket " + socketFile + ": " + e, e);
        }
    }

    /** Applies the configured mode and group to the freshly bound socket. */
    static void applyOwnership(UnixListener listener) {
        Path socketFile = listener.socketFile();
        try {
            Files.setPosixFilePermissions(socketFile, listener.mode());
        } catch (IOException e) {
            throw new ListenerException("Cannot set mode " + listener.octalMode() + " on " + socketFile
                    + ": " + e, e);
        }
        if (listener.group().isEmpty()) {
            return;
        }
        String groupName = listener.group().get();
        try {
            GroupPrincipal group = socketFile.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(groupName);
            Files.getFileAttributeView(socketFile, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setGroup(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new ListenerException("Cannot hand " + socketFile + " to group \"" + groupName
                    + "\": no such group ([server] socket_group)", e);
        } catch (IOException e) {
            throw new ListenerException("Cannot hand " + socketFile + " to group \"" + groupName + "\": " + e, e);
        }
    }

    public static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & FILE_TYPE_MASK) == SOCKET_TYPE;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void createParent(Path socketFile) {
        Path parent = socketFile.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return;
        }
        try {
            Files.createDirectories(parent,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            LOG.info("Created directory {} for the socket", parent);
        } catch (FileAlreadyExistsException e) {
            throw new ListenerException("Cannot create the socket directory " + parent
                    + ": a file of that name exists", e);
        } catch (IOException e) {
            throw new ListenerException("Cannot create the socket directory " + parent + ": " + e, e);
        }
    }

    /**
     * Whether a server accepts connections on the socket. Only a refused connection proves
     * the socket dead; any other failure is reported rather than guessed at.
     */
    private static boolean answers(Path socketFile) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Non-blocking so a server with a full backlog cannot hang the start-up; a pending
            // connect also means someone is listening.
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(socketFile));
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new ListenerException("Cannot tell whether " + socketFile + " is still in use: " + e, e);
        }
    }
}
