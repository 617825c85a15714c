package org.peekaboo.db.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of a test's own, for tests that stop, kill and restart the database: the
 * shared server on 127.0.0.1:3306 must never be touched, other tests and CI run against it.
 * It gets a data directory made by {@code mariadb-install-db} (root without password), a free
 * TCP port on 127.0.0.1 that it keeps across restarts, and socket, pid and log files in the
 * directory it is given. It reads no option file, so the machine's my.cnf cannot interfere.
 * Not thread-safe: one test thread drives it.
 */
public final class PrivateMariaDb implements AutoCloseable {
    public static final String USER = "root";

    private static final List<Path> SEARCHED_DIRECTORIES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"));
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(2);
    /** Crash recovery after a kill is included; generous for a loaded CI machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * {@code --user} when the test runs as root (mariadbd refuses root unless told whom to run
     * as), empty otherwise: the server then runs as the test's user. Root itself for a plain
     * server; {@code mysql} for a Galera node, because the rsync state transfer starts an rsync
     * daemon as the server's user, and an rsync daemon running as root switches to
     * {@code nobody}, who cannot write into a root-owned data directory.
     */
    private final Optional<String> userOption;
    private final Path server;
    private final Path directory;
    private final Path dataDir;
    private final Path errorLog;
    private final int port;
    private Process process;
    private Thread killOnExit;

    private PrivateMariaDb(Path server, Path directory, int port, Optional<String> userOption) {
        this.userOption = userOption;
        this.server = server;
        this.directory = directory;
        this.dataDir = directory.resolve("data");
        this.errorLog = directory.resolve("mariadbd.err");
        this.port = port;
    }

    /**
     * Creates a data directory in {@code directory} (which should be short: the Unix socket
     * path must stay under 108 bytes) and picks a port; {@link #start()} starts the server.
     *
     * @throws IllegalStateException when MariaDB's server is not installed, or the data
     *                               directory cannot be created; the message says why
     */
    public static PrivateMariaDb install(Path directory) throws IOException, InterruptedException {
        Path server = program("mariadbd");
        Path installer = program("mariadb-install-db");
        Files.createDirectories(directory);
        PrivateMariaDb mariaDb = new PrivateMariaDb(server, directory, freePort(),
                userIfRoot(directory, "root"));
        mariaDb.createDataDir(installer);
        return mariaDb;
    }

    /**
     * Like {@link #install(Path)}, for a node of a Galera cluster ({@link GaleraCluster}): with a
     * data directory made by {@code mariadb-install-db} when {@code withData} (the node that
     * bootstraps the cluster), else an empty one that the state transfer fills when it joins.
     * When run as root the server runs as {@code mysql}, so {@code directory} and its parents
     * must be searchable by that user; the directory is handed to it.
     */
    public static PrivateMariaDb installGaleraNode(Path directory, boolean withData)
            throws IOException, InterruptedException {
        Path server = program("mariadbd");
        Files.createDirectories(directory);
        PrivateMariaDb mariaDb = new PrivateMariaDb(server, directory, freePort(),
                userIfRoot(directory, "mysql"));
        if (mariaDb.userOption.isPresent()) {
            Files.setOwner(directory, directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("mysql"));
        }
        if (withData) {
            mariaDb.createDataDir(program("mariadb-install-db"));
        } else {
            Files.createDirectories(mariaDb.dataDir);
            Files.setOwner(mariaDb.dataDir, Files.getOwner(directory));
        }
        return mariaDb;
    }

    /** Starts the server on the data directory and port it had before; returns once it accepts connections. */
    public void start() throws IOException, InterruptedException {
        start(List.of());
    }

    /** Like {@link #start()}, with further server options (e.g. a Galera node's wsrep settings). */
    public void start(List<String> options) throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the private MariaDB on port " + port + " is running already");
        }
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults",
                "--datadir=" + dataDir,
                "--bind-address=127.0.0.1",
                "--port=" + port,
                "--socket=" + directory.resolve("mariadbd.sock"),
                "--pid-file=" + directory.resolve("mariadbd.pid"),
                "--log-error=" + errorLog,
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                // Small, so that a test server neither eats the machine's memory nor its disk.
                "--innodb-buffer-pool-size=32M",
                "--innodb-log-file-size=16M"));
        runAsRootIfRoot(command);
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mariadbd.out").toFile()))
                .start();
        if (killOnExit == null) {
            // A test JVM that ends without close() must not leave a server behind.
            killOnExit = new Thread(this::killQuietly, "private-mariadb-kill-on-exit");
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException lastFailure = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the private MariaDB exited with code " + process.exitValue()
                        + " while starting; its log " + errorLog + " ends with:\n" + tail(errorLog));
            }
            try (Connection connection = DriverManager.getConnection(serverUrl(), USER, "")) {
                return;
            } catch (SQLException e) {
                lastFailure = e;
            }
            Thread.sleep(POLL);
        }
        throw new IllegalStateException("the private MariaDB on port " + port + " does not accept connections after "
                + START_TIMEOUT.toSeconds() + "s (" + lastFailure + "); its log " + errorLog + " ends with:\n"
                + tail(errorLog));
    }

    /** Shuts the server down cleanly (SIGTERM) and waits until it has exited. */
    public void stop() throws InterruptedException {
        requireRunning();
        process.destroy();
        awaitExit("stop");
    }

    /** Kills the server with SIGKILL, as a crash or the OOM killer would; the next start recovers. */
    public void kill() throws InterruptedException {
        requireRunning();
        process.destroyForcibly();
        awaitExit("die after SIGKILL");
    }

    /** Stops the server cleanly and starts it again on the same data directory and port. */
    public void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /** The server's error log, kept across restarts. */
    public Path errorLog() {
        return errorLog;
    }

    /** The server without a database selected, for administration. */
    public String serverUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    public String jdbcUrl(String database) {
        return serverUrl() + database;
    }

    /** Creates a utf8mb4 database with a fresh name and returns the name; the server must be running. */
    public String createDatabase() throws SQLException {
        String name = MariaDbServer.uniqueName();
        try (Connection connection = DriverManager.getConnection(serverUrl(), USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        return name;
    }

    /** Kills the server if it runs; its directory is left to whoever made it (e.g. JUnit's {@code @TempDir}). */
    @Override
    public void close() {
        killQuietly();
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting: the hook runs anyway and finds the server gone.
            }
            killOnExit = null;
        }
    }

    private void killQuietly() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void createDataDir(Path installer) throws IOException, InterruptedException {
        Path log = directory.resolve("mariadb-install-db.log");
        List<String> command = new ArrayList<>(List.of(installer.toString(), "--no-defaults",
                "--datadir=" + dataDir,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                "--innodb-log-file-size=16M"));
        runAsRootIfRoot(command);
        Process install = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            install.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db did not finish within "
                    + INSTALL_TIMEOUT.toSeconds() + "s; its output " + log + " ends with:\n" + tail(log));
        }
        if (install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed with exit code " + install.exitValue()
                    + "; its output " + log + " ends with:\n" + tail(log));
        }
    }

    private void runAsRootIfRoot(List<String> command) {
        userOption.ifPresent(user -> command.add("--user=" + user));
    }

    /** {@code user} if root made {@code directory} (the test runs as root), else empty. */
    private static Optional<String> userIfRoot(Path directory, String user) throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(directory, "unix:uid"))
                ? Optional.of(user) : Optional.empty();
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("the private MariaDB on port " + port + " is not running");
        }
    }

    private void awaitExit(String what) throws InterruptedException {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the private MariaDB on port " + port + " did not " + what + " within "
                    + STOP_TIMEOUT.toSeconds() + "s; its log " + errorLog + " ends with:\n" + tail(errorLog));
        }
    }

    private static Path program(String name) {
        Stream<Path> path = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(":"))
                .filter(entry -> !entry.isEmpty())
                .map(Path::of);
        return Stream.concat(SEARCHED_DIRECTORIES.stream(), path)
                .map(directory -> directory.resolve(name))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " not found in " + SEARCHED_DIRECTORIES
                        + " or on PATH: the database outage tests run a MariaDB server of their own; install"
                        + " the Debian package mariadb-server (scripts/test does that when run as root)"));
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            // Lenient decoding: a log that is not UTF-8 must not hide the diagnosis.
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
