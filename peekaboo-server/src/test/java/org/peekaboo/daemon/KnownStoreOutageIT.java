package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.daemon.ClusterTesting.awaitCondition;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.peekaboo.db.DatabaseOutage;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.db.testing.TcpProxy;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;
import org.slf4j.LoggerFactory;

/**
 * A daemon on MariaDB behind a proxy that can make the server hang: every connect then waits
 * the whole connect timeout, which is longer than the request deadline. Once the outage is
 * known (the probe could not connect either), samples must be answered {@code unchecked} at once for the store, none held until its
 * deadline or refused as overload, while the pool does not try a connection per sample; when
 * the server answers again the same daemon decides samples by itself, the outage logged once
 * each way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KnownStoreOutageIT {
    /** Far beyond the deadline: a sample that waited for a connection would be answered at its deadline. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEADLINE = Duration.ofSeconds(4);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final int BURST = 40;

    @TempDir
    static Path dir;

    private String database;
    private TcpProxy proxy;
    private Path files;
    private Path socket;
    private Daemon daemon;
    private final ListAppender<ILoggingEvent> outageLog = new ListAppender<>();
    private final AtomicInteger sampleNumbers = new AtomicInteger();
    private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());

    @BeforeAll
    void start() throws Exception {
        database = MariaDbServer.createDatabase();
        proxy = new TcpProxy("127.0.0.1", 3306);
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        socket = dir.resolve("run/peekaboo.sock");
        ServerSettings server = ServerSettings.builder().socketFile(socket).socketMode(0600).allowedDirs(List.of(files))
                .keepAliveInterval(Duration.ofSeconds(1)).requestDeadline(DEADLINE).build();
        StoreSettings store = new StoreSettings(dir.resolve("data"),
                Optional.of("jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + database),
                Optional.of(MariaDbServer.USER), Optional.empty(), 4, CONNECT_TIMEOUT, RetentionSettings.defaults());
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(3), server, store,
                new RulesetSettings(Optional.empty()), new LoggingSettings("INFO"),
                new ClusterSettings(Duration.ofMinutes(10), Duration.ofSeconds(20),
                        ClusterSettings.DEFAULT_POLL_INTERVAL));
        outageLog.start();
        ((Logger) LoggerFactory.getLogger(DatabaseOutage.class)).addAppender(outageLog);
        daemon = Daemon.start(config, Daemon.RulesetFactory.from(config));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(DatabaseOutage.class)).detachAppender(outageLog);
            if (proxy != null) {
                proxy.close();
            }
            if (database != null) {
                MariaDbServer.dropDatabase(database);
            }
        }
    }

    @Test
    void duringAKnownOutageSamplesAreAnsweredAtOnceAndTheDaemonRecoversByItself() throws Exception {
        assertThat(scan(newSample()).verdict()).as("before the outage").isEqualTo(Verdict.GOOD);

        proxy.hang();
        // The pooled connections broke: a suspicion, which the probe confirms when it cannot
        // connect within the connect timeout. From then on samples are not even tried.
        awaitCondition(() -> {
            try {
                ScanReply reply = scan(newSample());
                return reply.verdict() == Verdict.UNCHECKED
                        && reply.files().getFirst().reason().contains("not tried until a probe finds it back");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "a sample answered for the known outage");
        int attemptsBefore = proxy.accepted();
        List<ScanReply> during = burst();
        int attemptsDuring = proxy.accepted() - attemptsBefore;

        assertThat(during).hasSize(BURST).allSatisfy(reply -> {
            assertThat(reply.verdict()).as("%s", reply.files()).isEqualTo(Verdict.UNCHECKED);
            assertThat(reply.files().getFirst().rule()).as("%s", reply.files())
                    .isNotIn("deadline", "overload");
        });
        assertThat(attemptsDuring).as("connections tried for %d samples during the known outage", BURST)
                .isLessThan(BURST / 4);

        proxy.resume();
        awaitCondition(() -> {
            try {
                return scan(newSample()).verdict() == Verdict.GOOD;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, "a new sample decided after the server answers again");
        assertThat(outageLog.list).extracting(event -> event.getLevel() + " " + event.getFormattedMessage())
                .satisfiesExactly(
                        down -> assertThat(down).startsWith("WARN ").contains("unreachable"),
                        back -> assertThat(back).startsWith("INFO ").contains("reachable again"));
    }

    private List<ScanReply> burst() throws Exception {
        List<Path> samples = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            samples.add(newSample());
        }
        List<ScanReply> replies = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ScanReply>> futures = new ArrayList<>();
            for (Path sample : samples) {
                futures.add(clients.submit(() -> scan(sample)));
            }
            for (Future<ScanReply> future : futures) {
                replies.add(future.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }
        return replies;
    }

    private Path newSample() throws IOException {
        int number = sampleNumbers.incrementAndGet();
        return Files.writeString(files.resolve("sample-" + number + ".txt"),
                "Sample " + number + " of run " + run + ".\n");
    }

    private ScanReply scan(Path file) throws IOException {
        return LineProtocolClient.unix(socket, CLIENT_TIMEOUT).scan(List.of(new SampleDeclaration(file.toString(),
                file.getFileName().toString(), null, null)));
    }

}
