package org.peekaboo.amavis.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.peekaboo.amavis.testing.AmavisInstance;
import org.peekaboo.amavis.testing.PeekabooProcess;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.db.testing.PrivateMariaDb;

/**
 * The mail path the soak drives, every part real: amavisd-new with the Peekaboo plugin and
 * policy, the Peekaboo daemon as a site runs it (launcher, config file, ruleset file) in a
 * process of its own, a MariaDB server of the soak's own (never the shared one), and the
 * sink that stands for the next hop. {@link #inject} breaks one part and brings it back.
 * One thread injects faults; the senders only use {@link #amavisPort()}.
 */
public final class SoakPipeline implements AutoCloseable {
    /** The built-in ruleset plus office_macro before the type lists, as the compose demo has it. */
    private static final String RULES = """
            [rules]
            rule.- : -
            rule.1 : known
            rule.2 : contains_peekabooyar
            rule.3 : file_larger_than
            rule.4 : office_macro
            rule.5 : file_type_on_whitelist
            rule.6 : file_type_on_greylist
            rule.7 : final_rule
            """;
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(60);

    private final SmtpSink sink;
    private final PrivateMariaDb database;
    private final AmavisInstance amavis;
    private final Path config;
    private final Path socket;
    private final Path peekabooLog;
    /** Replaced by every restart; read by the shutdown hook. */
    private volatile PeekabooProcess peekaboo;
    private final Thread killOnExit = new Thread(this::killOnExit, "soak-kill-on-exit");

    private SoakPipeline(SmtpSink sink, PrivateMariaDb database, AmavisInstance amavis, Path config, Path socket,
                         Path peekabooLog, PeekabooProcess peekaboo) {
        this.sink = sink;
        this.database = database;
        this.amavis = amavis;
        this.config = config;
        this.socket = socket;
        this.peekabooLog = peekabooLog;
        this.peekaboo = peekaboo;
        // A test JVM that ends without close() must not leave the daemon and amavis behind
        // (PrivateMariaDb has a hook of its own).
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    private void killOnExit() {
        amavis.close();
        try {
            peekaboo.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts everything under {@code work}; on failure stops what was started.
     *
     * @param repository the checkout: its launcher runs the daemon, its {@code config/ruleset.conf}
     *                   is the ruleset the soak extends
     * @param amavisChildren amavis' {@code $max_servers}: as many as mails are sent at once
     */
    public static SoakPipeline start(TestWorkDir work, Path repository, Path pluginDir, int amavisChildren)
            throws IOException, InterruptedException, SQLException {
        SmtpSink sink = SmtpSink.start();
        PrivateMariaDb database = null;
        AmavisInstance amavis = null;
        try {
            database = PrivateMariaDb.install(work.path().resolve("db"));
            database.start();
            String schema = database.createDatabase();
            Path socket = work.open("run").resolve("peekaboo.sock");
            amavis = AmavisInstance.start(work.path(), pluginDir, socket.toString(), sink.port(),
                    List.of("$max_servers = " + amavisChildren + ";", "$log_level = 1;"));
            Path config = writeConfig(work.open("peekaboo"), repository, socket, amavis.tempBase(),
                    database.jdbcUrl(schema));
            Path log = work.path().resolve("peekaboo.log");
            PeekabooProcess peekaboo = PeekabooProcess.serve(config, socket, log);
            return new SoakPipeline(sink, database, amavis, config, socket, log, peekaboo);
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            try (SmtpSink s = sink; PrivateMariaDb d = database; AmavisInstance a = amavis) {
                // closed in reverse order
            }
            throw e;
        }
    }

    private static Path writeConfig(Path dir, Path repository, Path socket, Path allowed, String url)
            throws IOException {
        Path rulesetDrops = Files.createDirectories(dir.resolve("ruleset.conf.d"));
        Files.copy(repository.resolve("config/ruleset.conf"), dir.resolve("ruleset.conf"));
        Files.writeString(rulesetDrops.resolve("10-soak.conf"), RULES, StandardCharsets.UTF_8);
        // Short deadline and lease: a sample locked by a killed instance is taken over within
        // seconds, and amavis hears of an outage before its own timeouts; the MTA retries.
        String text = """
                [global]
                data_dir: %s

                [server]
                socket_file: %s
                socket_group: amavis
                allowed_dir.0: %s
                request_deadline: 20s
                keepalive_interval: 2s
                shutdown_grace: 3s

                [db]
                url: %s
                user: root
                connect_timeout: 2s

                [cluster]
                lease: 5s
                renew_interval: 1s

                [ruleset]
                config: ruleset.conf
                """.formatted(dir.resolve("data"), socket, allowed, url);
        Path config = dir.resolve("peekaboo.conf");
        Files.writeString(config, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        return config;
    }

    public int amavisPort() {
        return amavis.port();
    }

    public SmtpSink sink() {
        return sink;
    }

    public AmavisInstance amavis() {
        return amavis;
    }

    /** Everything the daemon logged, over all its restarts. */
    public String peekabooLog() {
        try {
            return Files.readString(peekabooLog, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + peekabooLog + ": " + e + ")";
        }
    }

    /** Breaks the part, waits {@code downtime}, brings it back and returns once it answers again. */
    FaultRecord inject(Fault fault, Duration downtime, int atMail, Duration at)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        String detail;
        switch (fault) {
            case PEEKABOO_SIGKILL, PEEKABOO_SIGTERM -> {
                long oldPid = peekaboo.pid();
                String ended;
                if (fault == Fault.PEEKABOO_SIGKILL) {
                    peekaboo.kill();
                    ended = "killed";
                } else {
                    ended = "exit " + peekaboo.terminate(SHUTDOWN_PATIENCE);
                }
                Thread.sleep(downtime.toMillis());
                peekaboo = PeekabooProcess.serve(config, socket, peekabooLog);
                detail = "pid " + oldPid + " " + ended + ", pid " + peekaboo.pid() + " answers";
            }
            case DATABASE_STOP, DATABASE_SIGKILL -> {
                if (fault == Fault.DATABASE_STOP) {
                    database.stop();
                } else {
                    database.kill();
                }
                Thread.sleep(downtime.toMillis());
                database.start();
                detail = "port " + database.port() + " down and back";
            }
            default -> throw new IllegalArgumentException(fault.toString());
        }
        return new FaultRecord(fault, atMail, at, Duration.ofNanos(System.nanoTime() - start), detail);
    }

    /** Whether the daemon and the database are up, as they must be after the last fault. */
    public boolean allUp() {
        return peekaboo.isAlive() && database.isRunning() && amavis.isAlive();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try (SmtpSink s = sink; PrivateMariaDb d = database; AmavisInstance a = amavis) {
            if (peekaboo.isAlive()) {
                peekaboo.terminate(SHUTDOWN_PATIENCE);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting: the hook runs anyway and finds everything stopped.
            }
        }
    }
}
