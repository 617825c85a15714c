package org.peekaboo.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how Peekaboo talks to amavis (section {@code [server]}).
 *
 * @param socketFile        the Unix socket amavis connects to
 * @param socketMode        permissions of the socket file, e.g. {@code 0660}
 * @param socketGroup       group to give the socket to (usually amavis'), or empty to keep ours
 * @param listen            a TCP listener in addition to the socket, or empty for none
 * @param allowedDirs       the only directories whose files a client may name; normalized, absolute
 * @param keepAliveInterval how often a waiting client is sent a line, so it does not time out
 * @param requestDeadline   after this, samples still under way are answered unchecked
 * @param idleTimeout       a connection without a complete request is closed after this
 * @param maxLineLength     longest request line in bytes
 * @param maxParts          most files one request may name
 * @param maxReplySize      most bytes of one answer; longer reports are shortened (amavis reads only ~100 000)
 * @param shutdownGrace     on SIGTERM, how long running analyses may go on before they are abandoned
 * @param maxConnections    most connections open at once, over all listeners; more are refused at once
 * @param maxConnectionsPerClient most connections open at once from one client (TCP: one address; Unix
 *                          socket: one user id)
 * @param listenBeyondLoopback the operator's explicit consent to a TCP listener reachable from other hosts
 * @param allowedClients    the only addresses or networks a TCP client may connect from; empty: any
 *                          (allowed only while TCP listens on loopback)
 */
public record ServerSettings(Path socketFile, int socketMode, Optional<String> socketGroup,
        Optional<HostPort> listen, List<Path> allowedDirs, Duration keepAliveInterval,
        Duration requestDeadline, Duration idleTimeout, int maxLineLength, int maxParts, int maxReplySize,
        Duration shutdownGrace, int maxConnections, int maxConnectionsPerClient, boolean listenBeyondLoopback,
        List<ClientNetwork> allowedClients) {

    public static final Path DEFAULT_SOCKET_FILE = Path.of("/run/peekaboo/peekaboo.sock");
    public static final int DEFAULT_SOCKET_MODE = 0660;
    public static final List<Path> DEFAULT_ALLOWED_DIRS = List.of(Path.of("/var/lib/amavis/tmp"));
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
    public static final Duration MIN_KEEPALIVE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_KEEPALIVE_INTERVAL = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(60);
    public static final Duration MIN_REQUEST_DEADLINE = Duration.ofSeconds(1);
    public static final Duration MAX_REQUEST_DEADLINE = Duration.ofHours(1);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_IDLE_TIMEOUT = Duration.ofHours(1);
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
    public static final int MIN_MAX_LINE_LENGTH = 1024;
    public static final int MAX_MAX_LINE_LENGTH = 64 * 1024 * 1024;
    public static final int DEFAULT_MAX_PARTS = 1000;
    public static final int MIN_MAX_PARTS = 1;
    public static final int MAX_MAX_PARTS = 100_000;
    /** amavis keeps the first 100 000 bytes of an answer; this leaves room for the keep-alive lines. */
    public static final int DEFAULT_MAX_REPLY_SIZE = 90_000;
    public static final int MIN_MAX_REPLY_SIZE = 16 * 1024;
    public static final int MAX_MAX_REPLY_SIZE = 64 * 1024 * 1024;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final Duration MIN_SHUTDOWN_GRACE = Duration.ZERO;
    /** Service managers kill a daemon that takes much longer to stop (systemd after 90 s by default). */
    public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofMinutes(10);
    /**
     * Well below the 1024 open files a process gets by default, leaving room for the database, the
     * jars and the samples being read; an attacker's flood is refused instead of exhausting them.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final int MIN_MAX_CONNECTIONS = 1;
    public static final int MAX_MAX_CONNECTIONS = 1_000_000;
    /** Above the number of amavis processes of all but the largest gateways (Debian's default is 2). */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 128;
    /** Linux {@code sun_path} holds 108 bytes including the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    public ServerSettings {
        Checks.absolute("socket file", socketFile);
        socketFile = socketFile.normalize();
        checkSocketPathLength(socketFile);
        Checks.inRange("socket mode", socketMode, 0, 07777);
        Objects.requireNonNull(socketGroup, "socketGroup");
        Objects.requireNonNull(listen, "listen");
        allowedDirs = normalizedDirs(allowedDirs);
        Checks.inRange("keepalive interval", keepAliveInterval, MIN_KEEPALIVE_INTERVAL, MAX_KEEPALIVE_INTERVAL);
        Checks.inRange("request deadline", requestDeadline, MIN_REQUEST_DEADLINE, MAX_REQUEST_DEADLINE);
        Checks.inRange("idle timeout", idleTimeout, MIN_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT);
        Checks.inRange("max line length", maxLineLength, MIN_MAX_LINE_LENGTH, MAX_MAX_LINE_LENGTH);
        Checks.inRange("max parts", maxParts, MIN_MAX_PARTS, MAX_MAX_PARTS);
        Checks.inRange("max reply size", maxReplySize, MIN_MAX_REPLY_SIZE, MAX_MAX_REPLY_SIZE);
        Checks.inRange("shutdown grace", shutdownGrace, MIN_SHUTDOWN_GRACE, MAX_SHUTDOWN_GRACE);
        Checks.inRange("max connections", maxConnections, MIN_MAX_CONNECTIONS, MAX_MAX_CONNECTIONS);
        Checks.inRange("max connections per client", maxConnectionsPerClient, 1, maxConnections);
        allowedClients = List.copyOf(allowedClients);
        exposureProblem(listen, listenBeyondLoopback, allowedClients).ifPresent(problem -> {
            throw new ConfigException(problem);
        });
    }

    /**
     * Why a TCP listener may not be opened as configured, or empty if it may. The line protocol has
     * no authentication and makes Peekaboo read files, so beyond loopback it needs the operator's
     * explicit consent and a list of the clients that may connect.
     */
    static Optional<String> exposureProblem(Optional<HostPort> listen, boolean beyondLoopback,
                                            List<ClientNetwork> allowedClients) {
        if (listen.isEmpty() || listen.get().loopback()) {
            return Optional.empty();
        }
        if (!beyondLoopback || allowedClients.isEmpty()) {
            return Optional.of("listen " + listen.get() + " would accept connections from other hosts, and any"
                    + " client that connects can make Peekaboo read files in the allowed directories; listen on"
                    + " 127.0.0.1 (or [::1]) instead, or set [server] listen_beyond_loopback: yes and list the"
                    + " clients that may connect, e.g. allowed_client.0: 192.0.2.25 or allowed_client.lan:"
                    + " 192.0.2.0/24" + (beyondLoopback ? " (allowed_client is empty)" : ""));
        }
        return Optional.empty();
    }

    /** What a client can reach, for {@code config check} and the start-up log. */
    public String exposure() {
        String unix = "Unix socket " + socketFile + " (mode " + String.format("%04o", socketMode)
                + socketGroup.map(group -> ", group " + group).orElse("") + ")";
        if (listen.isEmpty()) {
            return unix + "; no TCP";
        }
        String clients = allowedClients.isEmpty() ? "any local client"
                : "clients in " + String.join(", ", allowedClients.stream().map(ClientNetwork::toString).toList());
        String reach = listen.get().loopback() ? "loopback only" : "OTHER HOSTS";
        return unix + "; TCP " + listen.get() + " (" + reach + ", " + clients + ")";
    }

    public static ServerSettings defaults() {
        return builder().build();
    }

    /** A builder starting from the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder().socketFile(socketFile).socketMode(socketMode).socketGroup(socketGroup).listen(listen)
                .allowedDirs(allowedDirs).keepAliveInterval(keepAliveInterval).requestDeadline(requestDeadline)
                .idleTimeout(idleTimeout).maxLineLength(maxLineLength).maxParts(maxParts).maxReplySize(maxReplySize)
                .shutdownGrace(shutdownGrace).maxConnections(maxConnections)
                .maxConnectionsPerClient(maxConnectionsPerClient).listenBeyondLoopback(listenBeyondLoopback)
                .allowedClients(allowedClients);
    }

    /** A relative path is taken relative to the current directory, as for a command-line argument. */
    public ServerSettings withSocketFile(Path file) {
        return toBuilder().socketFile(file.toAbsolutePath()).build();
    }

    public ServerSettings withListen(HostPort address) {
        return toBuilder().listen(Optional.of(address)).build();
    }

    /** Replaces the list; relative paths are taken relative to the current directory. */
    public ServerSettings withAllowedDirs(List<Path> dirs) {
        return toBuilder().allowedDirs(dirs.stream().map(Path::toAbsolutePath).toList()).build();
    }

    /** Settings by name; {@link #build()} checks them all. */
    public static final class Builder {
        private Path socketFile = DEFAULT_SOCKET_FILE;
        private int socketMode = DEFAULT_SOCKET_MODE;
        private Optional<String> socketGroup = Optional.empty();
        private Optional<HostPort> listen = Optional.empty();
        private List<Path> allowedDirs = DEFAULT_ALLOWED_DIRS;
        private Duration keepAliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private int maxParts = DEFAULT_MAX_PARTS;
        private int maxReplySize = DEFAULT_MAX_REPLY_SIZE;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        private boolean listenBeyondLoopback;
        private List<ClientNetwork> allowedClients = List.of();

        private Builder() {
        }

        public Builder socketFile(Path value) {
            socketFile = value;
            return this;
        }

        public Builder socketMode(int value) {
            socketMode = value;
            return this;
        }

        public Builder socketGroup(Optional<String> value) {
            socketGroup = value;
            return this;
        }

        public Builder listen(Optional<HostPort> value) {
            listen = value;
            return this;
        }

        public Builder allowedDirs(List<Path> value) {
            allowedDirs = value;
            return this;
        }

        public Builder keepAliveInterval(Duration value) {
            keepAliveInterval = value;
            return this;
        }

        public Builder requestDeadline(Duration value) {
            requestDeadline = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder maxLineLength(int value) {
            maxLineLength = value;
            return this;
        }

        public Builder maxParts(int value) {
            maxParts = value;
            return this;
        }

        public Builder maxReplySize(int value) {
            maxReplySize = value;
            return this;
        }

        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxConnectionsPerClient(int value) {
            maxConnectionsPerClient = value;
            return this;
        }

        public Builder listenBeyondLoopback(boolean value) {
            listenBeyondLoopback = value;
            return this;
        }

        public Builder allowedClients(List<ClientNetwork> value) {
            allowedClients = value;
            return this;
        }

        /** @throws ConfigException naming the setting that is out of range */
        public ServerSettings build() {
            return new ServerSettings(socketFile, socketMode, socketGroup, listen, allowedDirs, keepAliveInterval,
                    requestDeadline, idleTimeout, maxLineLength, maxParts, maxReplySize, shutdownGrace, maxConnections,
                    maxConnectionsPerClient, listenBeyondLoopback, allowedClients);
        }
    }

    /** Why the path cannot be a Unix socket, or empty if it can. */
    static Optional<String> socketPathProblem(Path file) {
        int bytes = file.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            return Optional.of("socket path " + file + " is " + bytes + " bytes long; a Unix socket path may have at most "
                    + MAX_SOCKET_PATH_BYTES);
        }
        return Optional.empty();
    }

    private static void checkSocketPathLength(Path file) {
        socketPathProblem(file).ifPresent(problem -> {
            throw new ConfigException(problem);
        });
    }

    private static List<Path> normalizedDirs(List<Path> dirs) {
        Objects.requireNonNull(dirs, "allowedDirs");
        if (dirs.isEmpty()) {
            throw new ConfigException("no allowed directory: Peekaboo could not read any file; give at least one");
        }
        LinkedHashSet<Path> unique = new LinkedHashSet<>();
        for (Path dir : dirs) {
            Checks.absolute("allowed directory", dir);
            // Normalized so that ".." cannot widen what a prefix check later admits.
            unique.add(dir.normalize());
        }
        return List.copyOf(unique);
    }
}
