package org.peekaboo.listener;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the line protocol listens for amavis: a Unix socket file, the permissions it gets
 * after binding, and optionally the group it is handed to (so amavis can connect without
 * the socket being world-writable).
 *
 * @param socketFile the socket path ({@code [server] socket_file})
 * @param mode       permissions of the socket file ({@code [server] socket_mode}, default 0660)
 * @param group      group of the socket file, or empty to keep the daemon's ({@code [server] socket_group})
 */
public record UnixListener(Path socketFile, Set<PosixFilePermission> mode, Optional<String> group) {
    public static final int DEFAULT_MODE = 0660;

    private static final PosixFilePermission[] BITS_FROM_HIGH_TO_LOW = {
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
    };

    public UnixListener {
        Objects.requireNonNull(socketFile, "socketFile");
        mode = Set.copyOf(Objects.requireNonNull(mode, "mode"));
        Objects.requireNonNull(group, "group");
        if (group.isPresent() && group.get().isBlank()) {
            throw new IllegalArgumentException("[server] socket_group must not be blank; leave it out to keep the "
                    + "daemon's group");
        }
    }

    /** A listener on {@code socketFile} with mode 0660 and the daemon's group. */
    public static UnixListener of(Path socketFile) {
        return new UnixListener(socketFile, permissions(DEFAULT_MODE), Optional.empty());
    }

    public UnixListener withMode(int octalMode) {
        return new UnixListener(socketFile, permissions(octalMode), group);
    }

    public UnixListener withGroup(String groupName) {
        return new UnixListener(socketFile, mode, Optional.of(groupName));
    }

    /**
     * The permissions of an octal mode such as {@code 0660}. The setuid, setgid and sticky
     * bits mean nothing for a socket and are dropped.
     */
    public static Set<PosixFilePermission> permissions(int octalMode) {
        if (octalMode < 0 || octalMode > 07777) {
            throw new IllegalArgumentException("[server] socket_mode must be between 0000 and 7777 (octal), got 0"
                    + Integer.toOctalString(octalMode));
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS_FROM_HIGH_TO_LOW.length; bit++) {
            if ((octalMode & (0400 >> bit)) != 0) {
                permissions.add(BITS_FROM_HIGH_TO_LOW[bit]);
            }
        }
        return permissions;
    }

    /** The mode as people write it, e.g. {@code 0660}. */
    public String octalMode() {
        int octal = 0;
        for (int bit = 0; bit < BITS_FROM_HIGH_TO_LOW.length; bit++) {
            if (mode.contains(BITS_FROM_HIGH_TO_LOW[bit])) {
                octal |= 0400 >> bit;
            }
        }
        return String.format("%04o", octal);
    }

    @Override
    public String toString() {
        return "unix:" + socketFile + " (mode " + octalMode() + group.map(name -> ", group " + name).orElse("") + ")";
    }
}
