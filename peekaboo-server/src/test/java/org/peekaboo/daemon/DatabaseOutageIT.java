package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
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
import org.peekaboo.db.testing.PrivateMariaDb;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;
import org.slf4j.LoggerFactory;

/**
 * One daemon (built-in ruleset) on a MariaDB server of the test's own ({@link PrivateMariaDb}),
 * under a steady load of new and known samples over the Unix socket, while that server is
 * stopped and started again, and then killed and started again. The daemon is never
 * restarted: it must answer {@code unchecked} while the database is gone, keep serving, log
 * the outage once, and decide samples again by itself when the database is back.
 *
 * <p>Every request is tagged with the phase it started and ended in, so that the assertions
 * depend on the order of events only, never on how long anything took.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class DatabaseOutageIT {
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;
    /** Short, so that requests during the outage give up on the pool quickly. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /**
     * Far longer than the deadline: a lock row the outage left behind would then answer the
     * retry {@code unchecked} instead of quietly expiring before the deadline.
     */
    private static final ClusterSettings CLUSTER = new ClusterSettings(Duration.ofMinutes(10),
            Duration.ofSeconds(20), ClusterSettings.DEFAULT_POLL_INTERVAL);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    /** Overall limit for every condition the test waits for; reached only when something is broken. */
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final int CLIENTS = 4;
    /** Answers wanted in each phase before the test moves on. */
    private static final int ANSWERS_PER_PHASE = 8;

    /** Where the database server is, as the test moved it; requests are tagged with it. */
    enum Phase { UP, STOPPING, DOWN, STARTING, BACK, CONFIRMED }

    /** A file in the allowed directory and the verdict the built-in ruleset gives it. */
    record Sample(Path file, Verdict expected) {
    }

    /** One request of the load and its answer; {@code known} if the sample had been decided before. */
    record Answer(Sample sample, boolean known, Phase startedIn, Phase endedIn, Verdict verdict,
                  List<ScanReply.FileVerdict> files) {
    }

    @TempDir
    static Path dir;

    private PrivateMariaDb mariaDb;
    private Path files;
    private Path socket;
    private Daemon daemon;
    /** Where the server is now; the test thread moves it on. */
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.UP);
    private final LogCapture log = new LogCapture(phase::get);
    private final AtomicInteger sampleNumbers = new AtomicInteger();
    private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());

    @BeforeAll
    void start() throws Exception {
        mariaDb = PrivateMariaDb.install(dir.resolve("mariadb"));
        mariaDb.start();
        String databaseName = mariaDb.createDatabase();
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        socket = dir.resolve("run/peekaboo.sock");
        ServerSettings server = ServerSettings.builder().socketFile(socket).socketMode(0600).allowedDirs(List.of(files))
                .keepAliveInterval(Duration.ofSeconds(1)).requestDeadline(DEADLINE).build();
        StoreSettings store = new StoreSettings(dir.resolve("data"), Optional.of(mariaDb.jdbcUrl(databaseName)),
                Optional.of(PrivateMariaDb.USER), Optional.empty(), 4, CONNECT_TIMEOUT, RetentionSettings.defaults());
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(3), server, store,
                new RulesetSettings(Optional.empty()), new LoggingSettings("INFO"), CLUSTER);
        log.attach();
        daemon = Daemon.start(config, Daemon.RulesetFactory.from(config));
    }

    @AfterAll
    void stop() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            log.detach();
            if (mariaDb != null) {
                mariaDb.close();
            }
        }
    }

    @Test
    @Order(1)
    void aCleanStopMidLoadIsAnsweredUncheckedAndTheSameDaemonRecoversWhenTheServerIsBack() throws Exception {
        survivesAnOutage(mariaDb::stop);
    }

    @Test
    @Order(2)
    void aKilledServerMidLoadIsAnsweredUncheckedAndTheSameDaemonRecoversWhenTheServerIsBack() throws Exception {
        survivesAnOutage(mariaDb::kill);
    }

    @FunctionalInterface
    private interface ServerAction {
        void run() throws Exception;
    }

    private void survivesAnOutage(ServerAction takeDown) throws Exception {
        log.clear();
        List<Answer> answers;
        try (Load load = new Load()) {
            awaitCondition("answers before the outage",
                    () -> load.count(Phase.UP, Phase.UP) >= ANSWERS_PER_PHASE && load.knownAnswered(Phase.UP));

            phase.set(Phase.STOPPING);
            takeDown.run();
            phase.set(Phase.DOWN);
            awaitCondition("answers during the outage, a known sample among them",
                    () -> load.count(Phase.DOWN, Phase.DOWN) >= ANSWERS_PER_PHASE && load.knownAnswered(Phase.DOWN));
            assertThat(client().ping()).as("ping during the outage").isTrue();

            phase.set(Phase.STARTING);
            mariaDb.start();
            phase.set(Phase.BACK);
            // The daemon finds the server by itself; the load's own requests show when.
            awaitCondition("a new sample decided after the restart", load::newSampleDecidedSinceBack);
            phase.set(Phase.CONFIRMED);
            awaitCondition("answers after the recovery",
                    () -> load.count(Phase.CONFIRMED, Phase.CONFIRMED) >= ANSWERS_PER_PHASE);
            answers = load.finish();
        }

        assertVerdicts(answers);
        assertRetriesDecided(answers);
        assertOutageLoggedOnce();
    }

    private static void assertVerdicts(List<Answer> answers) {
        for (Answer answer : answers) {
            assertThat(answer.verdict()).as("never a wrong verdict: %s", answer)
                    .isIn(answer.sample().expected(), Verdict.UNCHECKED);
            if (answer.startedIn() == Phase.DOWN && answer.endedIn() == Phase.DOWN) {
                assertThat(answer.verdict()).as("answered while the database was down: %s", answer)
                        .isEqualTo(Verdict.UNCHECKED);
            }
            if ((answer.startedIn() == Phase.UP && answer.endedIn() == Phase.UP)
                    || answer.startedIn() == Phase.CONFIRMED) {
                assertThat(answer.verdict()).as("answered while the database was up: %s", answer)
                        .isEqualTo(answer.sample().expected());
            }
        }
    }

    /**
     * The mail servers retry what was unchecked; by then the database is back. Samples that
     * were in flight when it went away are asked for again too: nothing of theirs (a lock row
     * left behind, say) may keep them from being decided now.
     */
    private void assertRetriesDecided(List<Answer> answers) throws Exception {
        Set<Sample> retried = new LinkedHashSet<>();
        for (Answer answer : answers) {
            boolean aroundTheOutage = answer.startedIn() != Phase.UP && answer.startedIn() != Phase.CONFIRMED;
            if (answer.verdict() == Verdict.UNCHECKED || aroundTheOutage) {
                retried.add(answer.sample());
            }
        }
        assertThat(retried).isNotEmpty();
        // As many at once as a mail server's delivery agents would send: far more would be
        // refused by the daemon's per-client connection limit, which is not what this test is about.
        try (ExecutorService retries = Executors.newFixedThreadPool(32)) {
            List<Future<ScanReply>> replies = new ArrayList<>();
            for (Sample sample : retried) {
                replies.add(retries.submit(() -> scan(sample)));
            }
            int i = 0;
            for (Sample sample : retried) {
                ScanReply reply = replies.get(i++).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertThat(reply.verdict()).as("retry of %s: %s", sample, reply.files()).isEqualTo(sample.expected());
            }
        }
    }

    private void assertOutageLoggedOnce() {
        Predicate<ILoggingEvent> aboutTheDatabase =
                event -> event.getLoggerName().equals(DatabaseOutage.class.getName());
        assertThat(log.lines(EnumSet.allOf(Phase.class), aboutTheDatabase))
                .as("what the daemon logged about the database").first().asString()
                .startsWith("WARN ").contains("127.0.0.1:" + mariaDb.port()).contains("unreachable");
        // While a server shuts down, one statement may still get through after another failed,
        // which ends the outage and starts it again; once it is down, the outage is logged at
        // most once more, and its end once.
        List<String> sinceDown = log.lines(EnumSet.range(Phase.DOWN, Phase.CONFIRMED), aboutTheDatabase);
        assertThat(sinceDown).as("what the daemon logged about the database since it was down")
                .last().asString().startsWith("INFO ").contains("reachable again");
        assertThat(sinceDown.subList(0, sinceDown.size() - 1)).as("since it was down, before it was back")
                .hasSizeLessThanOrEqualTo(1).allSatisfy(down -> assertThat(down).startsWith("WARN "));
        // Once is enough: a warning per sample would bury the one line that says what is wrong.
        assertThat(log.lines(EnumSet.of(Phase.DOWN), event -> event.getLevel().isGreaterOrEqual(Level.WARN)
                && !aboutTheDatabase.test(event)))
                .as("other warnings while the database was down").isEmpty();
    }

    /**
     * {@value #CLIENTS} clients that scan one sample after another, mostly new ones (a quarter
     * of them with the marker), every third request one decided before.
     */
    private final class Load implements AutoCloseable {
        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final List<Sample> decided = new CopyOnWriteArrayList<>();
        private final List<Exception> failures = new CopyOnWriteArrayList<>();
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private volatile boolean running = true;

        Load() {
            phase.set(Phase.UP);
            for (int i = 0; i < CLIENTS; i++) {
                clients.execute(this::scanUntilFinished);
            }
        }

        private void scanUntilFinished() {
            int request = 0;
            while (running) {
                boolean known = ++request % 3 == 0 && !decided.isEmpty();
                try {
                    Sample sample = known ? decided.get(ThreadLocalRandom.current().nextInt(decided.size()))
                            : newSample();
                    Phase startedIn = phase.get();
                    ScanReply reply = scan(sample);
                    Phase endedIn = phase.get();
                    answers.add(new Answer(sample, known, startedIn, endedIn, reply.verdict(), reply.files()));
                    if (!known && reply.verdict() != Verdict.UNCHECKED) {
                        decided.add(sample);
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                    return;
                }
            }
        }

        long count(Phase startedIn, Phase endedIn) {
            requireNoFailure();
            return answers.stream().filter(a -> a.startedIn() == startedIn && a.endedIn() == endedIn).count();
        }

        boolean knownAnswered(Phase within) {
            return answers.stream().anyMatch(a -> a.known() && a.startedIn() == within && a.endedIn() == within);
        }

        boolean newSampleDecidedSinceBack() {
            requireNoFailure();
            return answers.stream().anyMatch(a -> !a.known() && a.startedIn() == Phase.BACK
                    && a.verdict() == a.sample().expected());
        }

        /** Stops the clients after their current request and returns every answer. */
        List<Answer> finish() throws InterruptedException {
            running = false;
            clients.shutdown();
            if (!clients.awaitTermination(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("the load's clients did not finish their last requests");
            }
            requireNoFailure();
            return List.copyOf(answers);
        }

        private void requireNoFailure() {
            if (!failures.isEmpty()) {
                throw new AssertionError("a client got no answer in phase " + phase.get(), failures.getFirst());
            }
        }

        @Override
        public void close() {
            running = false;
            clients.shutdownNow();
        }
    }

    private Sample newSample() throws IOException {
        int number = sampleNumbers.incrementAndGet();
        boolean bad = number % 4 == 0;
        String content = "Sample " + number + " of run " + run + ".\n" + (bad ? MARKER + "\n" : "");
        Path file = Files.writeString(files.resolve("sample-" + number + ".txt"), content, StandardCharsets.UTF_8);
        return new Sample(file, bad ? Verdict.BAD : Verdict.GOOD);
    }

    private ScanReply scan(Sample sample) throws IOException {
        return client().scan(List.of(new SampleDeclaration(sample.file().toString(),
                sample.file().getFileName().toString(), null, null)));
    }

    private LineProtocolClient client() {
        return LineProtocolClient.unix(socket, CLIENT_TIMEOUT);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited in vain for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Keeps the daemon's log lines (Peekaboo's own loggers), each with the phase it was logged in. */
    private static final class LogCapture extends AppenderBase<ILoggingEvent> {
        private record Logged(ILoggingEvent event, Phase phase) {
        }

        private final Supplier<Phase> phase;
        private final List<Logged> logged = new CopyOnWriteArrayList<>();

        LogCapture(Supplier<Phase> phase) {
            this.phase = phase;
        }

        @Override
        protected void append(ILoggingEvent event) {
            logged.add(new Logged(event, phase.get()));
        }

        void attach() {
            setContext(peekabooLogger().getLoggerContext());
            start();
            peekabooLogger().addAppender(this);
        }

        void detach() {
            peekabooLogger().detachAppender(this);
            stop();
        }

        void clear() {
            logged.clear();
        }

        /** Level, logger and message of the events logged in {@code phases} that match, in order. */
        List<String> lines(Set<Phase> phases, Predicate<ILoggingEvent> filter) {
            return logged.stream()
                    .filter(entry -> phases.contains(entry.phase()) && filter.test(entry.event()))
                    .map(Logged::event)
                    .map(event -> event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
                    .toList();
        }

        private static Logger peekabooLogger() {
            return (Logger) LoggerFactory.getLogger("org.peekaboo");
        }
    }
}
