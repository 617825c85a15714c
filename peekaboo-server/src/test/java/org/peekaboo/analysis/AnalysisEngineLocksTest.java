package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.LambdaRule.rule;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.analysis.testing.InMemoryAnalysisStore;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.ruleset.KnownRule;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.testing.ThrowingRule;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.slf4j.LoggerFactory;

/** The engine's use of cluster-wide sample locks, against lock rows in memory. */
class AnalysisEngineLocksTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final ClusterSettings CLUSTER = new ClusterSettings(LEASE, Duration.ofSeconds(1), POLL);

    @TempDir
    Path dir;

    private final InMemoryAnalysisStore store = new InMemoryAnalysisStore();
    private final FakeSampleLocks locks = new FakeSampleLocks("this-instance");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger executions = new AtomicInteger();
    private final List<AnalysisEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(AnalysisEngine::close);
    }

    @Test
    void theOwnerRunsTheRulesetOnceAndReleasesTheLock() throws Exception {
        AnalysisEngine engine = engine(counting(Result.BAD));
        Path file = file("a.doc", "alpha");

        JudgedSample judged = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(executions).hasValue(1);
        assertThat(locks.released()).containsExactly(identity(file));
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void aKnownSampleIsAnsweredAndRecordedWithoutTakingItsLock() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("known.doc", "seen before");
        Sample sample = read(file);
        long earlier = storeFinished(sample, Result.BAD, "evil");

        JudgedSample judged = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("known");
        assertThat(judged.verdict().reason()).isEqualTo("evil");
        assertThat(executions).hasValue(0);
        assertThat(locks.acquireAttempts()).isZero();
        AnalysisStore.StoredAnalysis recorded = store.find(judged.verdict().jobId()).orElseThrow();
        assertThat(recorded.jobId()).isNotEqualTo(earlier);
        assertThat(recorded.state()).isEqualTo(AnalysisStore.State.FINISHED);
        assertThat(recorded.result()).isEqualTo(Result.BAD);
    }

    @Test
    void aKnownSampleWhoseAnswerCannotBeRecordedIsFailedNotPassed() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("known-good.doc", "seen before, good");
        Sample sample = read(file);
        long earlier = storeFinished(sample, Result.GOOD, "fine");
        store.failBegin(true);

        JudgedSample judged = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.verdict().reason()).contains("could not be recorded");
    }

    @Test
    void aNewSampleIsStillAnalysedUnderItsLock() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("new.doc", "never seen");

        JudgedSample judged = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().rule()).isEqualTo("counting");
        assertThat(locks.acquireAttempts()).isEqualTo(1);
        assertThat(locks.released()).containsExactly(identity(file));
    }

    @Test
    void aSampleLockedElsewhereIsAnsweredFromTheStoreAfterTheOtherInstanceReleasesIt() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("b.doc", "beta");
        Sample sample = read(file);
        locks.holdElsewhere(sample.identity(), clock.instant(), LEASE);

        CompletableFuture<JudgedSample> outcome = outcome(engine, file);
        await(() -> locks.leaseQueries() >= 3);
        assertThat(outcome).isNotDone();

        // The other instance stores its verdict, then releases its lock.
        storeFinished(sample, Result.BAD, "evil");
        locks.releaseElsewhere(sample.identity());

        JudgedSample judged = outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("known");
        assertThat(executions).hasValue(0);
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheAnalysisFinishedHere() throws Exception {
        AnalysisEngine engine = engine(counting(Result.BAD));
        Path file = file("c.doc", "gamma");
        String identity = identity(file);
        locks.holdElsewhere(identity, clock.instant(), LEASE);

        CompletableFuture<JudgedSample> outcome = outcome(engine, file);
        await(() -> locks.leaseQueries() >= 3);
        assertThat(outcome).isNotDone();
        clock.advance(LEASE.plusSeconds(1));

        JudgedSample judged = outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("counting");
        assertThat(executions).hasValue(1);
        assertThat(locks.released()).containsExactly(identity);
    }

    @Test
    void manyWaitersAreCheckedWithOneQueryPerPoll() throws Exception {
        AnalysisEngine engine = engine(counting(Result.BAD));
        int waiters = 50;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            Path file = file("w" + i, "waiter " + i);
            files.add(file);
            locks.holdElsewhere(identity(file), clock.instant(), LEASE);
        }
        List<CompletableFuture<JudgedSample>> outcomes = new ArrayList<>();
        for (Path file : files) {
            outcomes.add(outcome(engine, file));
        }
        await(() -> locks.leaseQuerySizes().contains(waiters));
        int before = locks.leaseQueries();

        Thread.sleep(POLL.toMillis() * 10);

        List<Integer> sizes = locks.leaseQuerySizes();
        int polls = locks.leaseQueries() - before;
        // About one query per poll interval, each covering every waiter: no query per waiter.
        assertThat(polls).isBetween(3, 15);
        assertThat(sizes.subList(sizes.size() - polls, sizes.size())).containsOnly(waiters);
        assertThat(outcomes).noneMatch(CompletableFuture::isDone);

        files.forEach(file -> locks.releaseElsewhere(identity(file)));
        for (CompletableFuture<JudgedSample> outcome : outcomes) {
            assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).verdict().result()).isEqualTo(Result.BAD);
        }
        assertThat(executions).hasValue(waiters);
    }

    @Test
    void noWaiterNoQuery() throws Exception {
        AnalysisEngine engine = engine(counting(Result.BAD));
        outcome(engine, file("d.doc", "delta")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        Thread.sleep(POLL.toMillis() * 5);

        assertThat(locks.leaseQueries()).isZero();
    }

    @Test
    void theLockIsReleasedWhenARuleFails() throws Exception {
        AnalysisEngine engine = engine(new Ruleset(List.of(new ThrowingRule("broken", new IOException("boom"))),
                AnalysisEngineLocksTest::types));
        Path file = file("e.doc", "epsilon");

        JudgedSample judged = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(locks.released()).containsExactly(identity(file));
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void aLockThatCannotBeTakenFailsTheSampleWithoutRunningTheRuleset() throws Exception {
        locks.failAcquire(true);
        AnalysisEngine engine = engine(counting(Result.GOOD));

        JudgedSample judged = outcome(engine, file("f.doc", "phi")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.verdict().rule()).isEqualTo(Undecided.LOCK.rule());
        assertThat(executions).hasValue(0);
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aLockLeftBehindWhenTheDatabaseWentAwayDoesNotHoldUpTheRetry() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("outage.doc", "in flight when the database went away");
        store.failFinish(true);
        locks.failRelease(true);

        JudgedSample first = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(first.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(locks.rows()).containsOnlyKeys(identity(file));

        // The database is back, the lease is still running: the retry must not wait for it.
        store.failFinish(false);
        locks.failRelease(false);
        JudgedSample retry = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(retry.verdict().result()).isEqualTo(Result.GOOD);
        assertThat(retry.verdict().rule()).isEqualTo("counting");
        assertThat(executions).hasValue(2);
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void aLockTakenWhileTheDatabaseWentAwayDoesNotHoldUpTheRetry() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("unconfirmed.doc", "locked, but the database died before saying so");
        locks.failAfterAcquiring(true);

        JudgedSample first = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(first.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(locks.rows()).containsOnlyKeys(identity(file));

        // The database is back, the lease is still running: the retry must not wait for this instance's own row.
        locks.failAfterAcquiring(false);
        JudgedSample retry = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(retry.verdict().result()).isEqualTo(Result.GOOD);
        assertThat(retry.verdict().rule()).isEqualTo("counting");
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsNotWarnedAboutForEverySample() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AnalysisEngine.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            AnalysisEngine engine = engine(counting(Result.GOOD));
            locks.failAcquire(new StoreException("Cannot take the lock: Socket error", null, true));
            for (int i = 0; i < 3; i++) {
                JudgedSample judged = outcome(engine, file("down-" + i + ".doc", "down " + i))
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
            }
            locks.failAcquire(true);
            outcome(engine, file("broken.doc", "broken")).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            logger.detachAppender(log);
        }

        // The outage itself is logged once by the store; other store failures still warn.
        assertThat(log.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains("on purpose"));
    }

    @Test
    void theLeaseIsRenewedWhileTheRulesetRuns() throws Exception {
        Rule slow = rule("slow", context -> {
            await(() -> locks.renewals() >= 1);
            return RuleResult.stop("slow", Result.BAD, "slow");
        });
        AnalysisEngine engine = engine(new Ruleset(List.of(slow), AnalysisEngineLocksTest::types));
        Path file = file("g.doc", "slow one");
        clock.advance(Duration.ZERO);

        CompletableFuture<JudgedSample> outcome = outcome(engine, file);
        clock.advance(Duration.ofSeconds(30));

        assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).verdict().result()).isEqualTo(Result.BAD);
        assertThat(locks.renewals()).isPositive();
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void aLockLostWhileAnalysingStillStoresTheResultAndLeavesTheNewOwnersLock() throws Exception {
        Path file = file("i.doc", "iota");
        String identity = identity(file);
        Rule overtaken = rule("overtaken", context -> {
            // Another instance took the expired lease over while this one was stuck.
            locks.holdElsewhere(identity, clock.instant(), LEASE);
            await(() -> locks.renewals() >= 1);
            return RuleResult.stop("overtaken", Result.BAD, "finished anyway");
        });
        AnalysisEngine engine = engine(new Ruleset(List.of(overtaken), AnalysisEngineLocksTest::types));

        JudgedSample judged = outcome(engine, file).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(store.all()).singleElement().satisfies(stored ->
                assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED));
        assertThat(locks.released()).isEmpty();
        assertThat(locks.rows().get(identity).owner()).isEqualTo(FakeSampleLocks.OTHER);
    }

    @Test
    void closingAnswersWaitersAndReleasesThisInstancesLocks() throws Exception {
        AnalysisEngine engine = engine(counting(Result.GOOD));
        Path file = file("h.doc", "eta");
        locks.holdElsewhere(identity(file), clock.instant(), LEASE);
        String leftOver = SampleIdentity.of("left-over", null, null, null);
        locks.tryAcquire(leftOver, clock.instant(), LEASE);
        CompletableFuture<JudgedSample> outcome = outcome(engine, file);
        await(() -> locks.leaseQueries() >= 1);

        engine.close(Duration.ofSeconds(5));

        JudgedSample judged = outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(judged.verdict().result()).isEqualTo(Result.UNCHECKED);
        assertThat(executions).hasValue(0);
        assertThat(locks.rows()).containsOnlyKeys(identity(file));
        assertThat(locks.released()).containsExactly(leftOver);
    }

    @Test
    void closingLetsARunningAnalysisFinishWithinTheGraceAndRefusesNewSamples() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Rule slowForOne = rule("slow", context -> {
            if (context.sample().nameDeclared().equals("slow.doc")) {
                running.countDown();
                proceed.await();
            }
            return RuleResult.stop("slow", Result.BAD, "judged");
        });
        AnalysisEngine engine = engine(new Ruleset(List.of(slowForOne), AnalysisEngineLocksTest::types));
        Path slow = file("slow.doc", "kappa");
        CompletableFuture<JudgedSample> outcome = outcome(engine, slow);
        assertThat(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> engine.close(Duration.ofMinutes(10)));
        Path late = file("late.doc", "lambda");
        // Until close has begun, the late sample is judged; after that it is refused as the engine stops.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!shuttingDown(outcome(engine, late).get(TIMEOUT_SECONDS, TimeUnit.SECONDS))) {
            assertThat(System.nanoTime()).as("close has begun").isLessThan(giveUp);
        }
        proceed.countDown();
        closing.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).verdict().result()).isEqualTo(Result.BAD);
        assertThat(locks.released()).contains(identity(slow));
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void closingInterruptsAnAnalysisThatOutlastsTheGraceAndReleasesItsLock() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Rule endless = rule("endless", context -> {
            running.countDown();
            Thread.sleep(Duration.ofHours(1));
            return RuleResult.stop("endless", Result.GOOD, "never");
        });
        AnalysisEngine engine = engine(new Ruleset(List.of(endless), AnalysisEngineLocksTest::types));
        CompletableFuture<JudgedSample> outcome = outcome(engine, file("endless.doc", "mu"));
        assertThat(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

        engine.close(Duration.ZERO);

        // Failed, that is unchecked for the client, and never reused by the known rule.
        assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).verdict().result()).isEqualTo(Result.FAILED);
        assertThat(store.all()).singleElement().satisfies(stored -> {
            assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED);
            assertThat(stored.result()).isEqualTo(Result.FAILED);
        });
        assertThat(locks.rows()).isEmpty();
    }

    @Test
    void closingAnswersAnAnalysisThatIgnoresTheInterruptAndReleasesItsLockAnyway() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        Rule stubborn = rule("stubborn", context -> {
            running.countDown();
            while (true) {
                try {
                    proceed.await();
                    return RuleResult.stop("stubborn", Result.GOOD, "finished after the shutdown");
                } catch (InterruptedException ignored) {
                    // Stands for a blocking call that cannot be interrupted.
                }
            }
        });
        AnalysisEngine engine = engine(new Ruleset(List.of(stubborn), AnalysisEngineLocksTest::types));
        CompletableFuture<JudgedSample> outcome = outcome(engine, file("stubborn.doc", "nu"));
        assertThat(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();

        engine.close(Duration.ZERO);

        assertThat(shuttingDown(outcome.getNow(null))).as("answered when close returns").isTrue();
        assertThat(locks.rows()).isEmpty();
        proceed.countDown();
    }

    private static boolean shuttingDown(JudgedSample judged) {
        return judged != null && judged.verdict().result() == Result.UNCHECKED
                && judged.verdict().reason().contains("shutting down");
    }

    private AnalysisEngine engine(Ruleset ruleset) {
        AnalysisEngine engine = new AnalysisEngine(ruleset, store, locks, TestContents.reader(),
                AllowedDirectories.of(List.of(dir)), TestContents.expander(), new AnalysisSettings(4), CLUSTER, clock);
        engines.add(engine);
        return engine;
    }

    /** What another instance's analysis of {@code sample} left in the store. */
    private long storeFinished(Sample sample, Result result, String reason) {
        long jobId = store.begin(sample, clock.instant());
        store.finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("sandbox", result, reason)), jobId),
                clock.instant());
        return jobId;
    }

    private Ruleset counting(Result result) {
        Rule counting = rule("counting", context -> {
            executions.incrementAndGet();
            return RuleResult.stop("counting", result, "counted");
        });
        return new Ruleset(List.of(new KnownRule(store), counting), AnalysisEngineLocksTest::types);
    }

    private static FileTypeReport types(Sample sample) {
        return new FileTypeReport("text/plain", null, "text");
    }

    private static CompletableFuture<JudgedSample> outcome(AnalysisEngine engine, Path file) {
        return engine.start(List.of(declared(file)), Duration.ofMinutes(1)).done().thenApply(List::getFirst);
    }

    private static Sample read(Path file) throws IOException {
        return TestContents.read(file, declared(file));
    }

    private static String identity(Path file) {
        try {
            return read(file).identity();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read test file " + file, e);
        }
    }

    private static SampleDeclaration declared(Path file) {
        return new SampleDeclaration(file.toString(), file.getFileName().toString(), null, null);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }
}
