package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RetentionSettings;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.daemon.Daemon;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.db.testing.TcpProxy;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.ruleset.testing.GateRule;
import org.peekaboo.systemd.testing.NotifySocket;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/**
 * {@code peekaboo status} against two daemons sharing one MariaDB database (created and dropped
 * here): while each holds a sample, both instance ids are in the lock table and both daemons
 * report them; when one daemon's connection to the database is cut (a proxy between them), its
 * status says the database is unavailable and exits 1, and so does its state line for systemd
 * (a real datagram socket as {@code NOTIFY_SOCKET}); a daemon that is not there is exit 3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusCommandIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final long WAIT_SECONDS = 60;

    @TempDir
    static Path dir;

    private String database;
    private TcpProxy proxy;
    private Path files;
    /** systemd's notify socket for the daemon behind the proxy, whose state line the test follows. */
    private NotifySocket systemd;
    private Daemon behindProxy;
    private Daemon direct;
    /** Opened once the test has seen the held samples' lock rows. */
    private final CountDownLatch gate = new CountDownLatch(1);

    @BeforeAll
    void start() throws Exception {
        database = MariaDbServer.createDatabase();
        proxy = new TcpProxy("127.0.0.1", 3306);
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        systemd = NotifySocket.atPath(dir.resolve("notify"));
        behindProxy = start("a", proxy.port(), Map.of("NOTIFY_SOCKET", systemd.name()));
        direct = start("b", 3306, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        gate.countDown();
        try {
            for (Daemon daemon : new Daemon[] {behindProxy, direct}) {
                if (daemon != null) {
                    daemon.close();
                }
            }
        } finally {
            if (systemd != null) {
                systemd.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (database != null) {
                MariaDbServer.dropDatabase(database);
            }
        }
    }

    @Test
    void showsBothInstancesHoldingSamplesThenTheDatabaseCut() throws Exception {
        String idA = LineProtocolClient.unix(socket("a"), CLIENT_TIMEOUT).status().instanceId();
        String idB = LineProtocolClient.unix(socket("b"), CLIENT_TIMEOUT).status().instanceId();
        assertThat(idA).isNotEqualTo(idB);

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ScanReply> scanA = clients.submit(() -> scan("a", "held-by-a.txt"));
            Future<ScanReply> scanB = clients.submit(() -> scan("b", "held-by-b.txt"));
            Run held = awaitStatus("a", run -> run.out().contains("cluster:   2 instances holding sample locks"));

            assertThat(held.exitCode()).as(held.toString()).isZero();
            assertThat(held.out()).contains("health:    ok", "database:  MariaDB jdbc:mariadb://127.0.0.1:"
                            + proxy.port() + "/" + database + ", ok", "cortex:    not configured",
                    "samples:   1 in flight", "  " + idA + " (this one): 1 lock, newest taken ",
                    "  " + idB + ": 1 lock, newest taken ", "  line unix:" + socket("a"));
            awaitStateLine(line -> line.startsWith("STATUS=Serving: 1 listener, 1 in flight (oldest "));
            Run fromB = status("b", "--json");
            assertThat(fromB.exitCode()).as(fromB.toString()).isZero();
            assertThat(fromB.out()).contains("\"health\":\"ok\"", "{\"id\":\"" + idA + "\",\"locks\":1,",
                    "{\"id\":\"" + idB + "\",\"locks\":1,");

            gate.countDown();
            assertThat(scanA.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).verdict()).isNotEqualTo(Verdict.BAD);
            assertThat(scanB.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).verdict()).isNotEqualTo(Verdict.BAD);
        }
        Run released = awaitStatus("b", run -> run.out().contains("cluster:   0 instances holding sample locks"));
        assertThat(released.exitCode()).as(released.toString()).isZero();

        proxy.cut();
        try {
            Run cut = status("a");
            assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(StatusCommand.EXIT_DEGRADED);
            assertThat(cut.out()).contains("health:    degraded", "database:  MariaDB jdbc:mariadb://127.0.0.1:"
                    + proxy.port() + "/" + database + ", unavailable since ");
            Run cutJson = status("a", "--json");
            assertThat(cutJson.exitCode()).isEqualTo(StatusCommand.EXIT_DEGRADED);
            assertThat(cutJson.out()).contains("\"health\":\"degraded\"", "\"available\":false");
            awaitStateLine(line -> line.startsWith("STATUS=Serving: 1 listener, 0 in flight, queue 0; database unavailable"
                    + " since "));
            Run other = status("b");
            assertThat(other.exitCode()).as("the daemon with its own connection: %s", other).isZero();
        } finally {
            proxy.resume();
        }
        Run back = awaitStatus("a", run -> run.exitCode() == 0);
        assertThat(back.out()).contains("health:    ok");
        awaitStateLine(line -> line.equals("STATUS=Serving: 1 listener, 0 in flight, queue 0; database ok"));
    }

    @Test
    void aDaemonThatIsNotThereIsAnError() throws Exception {
        Run missing = run("status", "--socket", dir.resolve("run/nobody.sock").toString(), "--timeout", "5");

        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_ERROR);
        assertThat(missing.err()).startsWith("peekaboo: Cannot connect to Peekaboo at ");
    }

    private ScanReply scan(String instance, String name) throws IOException {
        Path file = Files.writeString(files.resolve(name), "Held by " + name + "\n");
        return LineProtocolClient.unix(socket(instance), CLIENT_TIMEOUT).scan(List.of(new SampleDeclaration(
                file.toString(), name, "text/plain", "attachment")));
    }

    /** Waits for systemd's state line to say what {@code expected} wants; it is checked every few seconds. */
    private void awaitStateLine(Predicate<String> expected) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        List<String> seen = new ArrayList<>();
        while (seen.isEmpty() || !expected.test(seen.getLast())) {
            assertThat(System.nanoTime()).as("waiting for systemd's state line; seen: %s", seen).isLessThan(deadline);
            systemd.next(Duration.ofMillis(200)).ifPresent(seen::add);
        }
    }

    private Run awaitStatus(String instance, Predicate<Run> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        Run last = status(instance);
        while (!condition.test(last)) {
            assertThat(System.nanoTime()).as("waiting for the status; last: %s", last).isLessThan(deadline);
            Thread.sleep(50);
            last = status(instance);
        }
        return last;
    }

    private Run status(String instance, String... options) {
        List<String> args = new ArrayList<>(List.of("status", "--socket", socket(instance).toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Path socket(String instance) {
        return dir.resolve("run/" + instance + ".sock");
    }

    private Daemon start(String instance, int port, Map<String, String> environment) {
        ServerSettings server = ServerSettings.builder().socketFile(socket(instance)).socketMode(0600)
                .allowedDirs(List.of(files)).keepAliveInterval(Duration.ofSeconds(1))
                .requestDeadline(CLIENT_TIMEOUT).build();
        StoreSettings store = new StoreSettings(dir.resolve("data-" + instance),
                Optional.of("jdbc:mariadb://127.0.0.1:" + port + "/" + database), Optional.of(MariaDbServer.USER),
                Optional.empty(), 4, CONNECT_TIMEOUT, RetentionSettings.defaults());
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(2), server, store,
                new RulesetSettings(Optional.empty()), new LoggingSettings("INFO"), ClusterSettings.defaults());
        return Daemon.start(config, (known, detector, reports) -> GateRule.builtInWith(gate, known, detector,
                reports), true, environment);
    }
}
