package org.peekaboo.analysis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peekaboo.analysis.AnalysisStore.State;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.AnalysisStore.StoredAnalysis;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.ruleset.KnownResults.History;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * What every analysis store must do, whatever keeps it: the databases (through
 * {@code org.peekaboo.db.JooqAnalysisStoreContract}, which adds what only a database can be
 * asked) and the in-memory store the engine tests use, so that a fake cannot promise the engine
 * what no real store does. Subclasses supply a store; the tests never assume it is empty (they
 * use fresh identities), so one database may serve all of them.
 */
public abstract class AnalysisStoreContract {
    protected static final Instant STARTED = Instant.parse("2024-03-31T01:30:00.123Z");
    private static final String INSTANCE = "contract-test";
    private static final Duration MAX_AGE = Duration.ofDays(30);

    private AnalysisStore store;
    /** Starts a minute after {@link #STARTED}: every result the tests store is young unless a test ages it. */
    private final MutableClock clock = new MutableClock(STARTED.plusSeconds(60));

    /**
     * A store under test that records analyses as {@code instanceId} and reuses results for
     * {@code resultMaxAge} after they finished, by {@code clock}; called once per test, and
     * closed after it.
     */
    protected abstract AnalysisStore openStore(String instanceId, Clock clock, Duration resultMaxAge);

    @BeforeEach
    void openStore() {
        store = openStore(INSTANCE, clock, MAX_AGE);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** The store under test, for subclasses' own tests. */
    protected final AnalysisStore store() {
        return store;
    }

    @Test
    void beginRecordsARunningUncheckedAnalysisOfTheSample() {
        Sample sample = sample("Rechnung.pdf");

        long jobId = store.begin(sample, STARTED);

        assertThat(store.find(jobId)).contains(new StoredAnalysis(jobId, sample.identity(), sample.sha256(),
                sample.size(), "Rechnung.pdf", "application/pdf", "attachment", State.RUNNING, Result.UNCHECKED,
                null, List.of(), INSTANCE, STARTED, null));
    }

    @Test
    void recordStoresAFinishedAnalysisInOneGoThatLaterLookUpsFind() {
        Sample sample = sample("invoice.doc");
        List<RuleResult> report = List.of(RuleResult.stop("known", Result.BAD, "The file contains an Office macro"));
        Instant finished = STARTED.plusMillis(3);

        long jobId = store.record(sample, SampleVerdict.of(report, 0), STARTED, finished);

        assertThat(store.find(jobId)).contains(new StoredAnalysis(jobId, sample.identity(), sample.sha256(),
                sample.size(), "invoice.doc", "application/pdf", "attachment", State.FINISHED, Result.BAD,
                "The file contains an Office macro", report, INSTANCE, STARTED, finished));
        assertThat(store.worstFinished(sample.identity(), 0)).map(StoredResult::jobId).contains(jobId);
    }

    @Test
    void finishRecordsResultReasonReportAndTime() {
        Sample sample = sample("invoice.doc");
        long jobId = store.begin(sample, STARTED);
        List<RuleResult> report = List.of(
                RuleResult.proceed("file_larger_than", Result.UNKNOWN, "File has more than 5 bytes"),
                RuleResult.stop("office_macro", Result.BAD, "The file contains an Office macro"));
        Instant finished = STARTED.plusSeconds(42);

        store.finish(jobId, SampleVerdict.of(report, jobId), finished);

        StoredAnalysis stored = store.find(jobId).orElseThrow();
        assertThat(stored.state()).isEqualTo(State.FINISHED);
        assertThat(stored.result()).isEqualTo(Result.BAD);
        assertThat(stored.reason()).isEqualTo("The file contains an Office macro");
        assertThat(stored.report()).isEqualTo(report);
        assertThat(stored.createdAt()).isEqualTo(STARTED);
        assertThat(stored.finishedAt()).isEqualTo(finished);
    }

    @Test
    void findOfAnUnknownJobIsEmpty() {
        long jobId = store.begin(sample("a.txt"), STARTED);

        assertThat(store.find(jobId + 1_000_000)).isEmpty();
    }

    @Test
    void jobIdsAreUniqueAndIncreasing() {
        List<Long> jobIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobIds.add(store.begin(sample("same.txt"), STARTED));
        }

        assertThat(jobIds).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void finishingAnUnknownJobFailsNamingTheJob() {
        long unknown = store.begin(sample("a.txt"), STARTED) + 1_000_000;

        assertThatThrownBy(() -> store.finish(unknown, verdict(Result.GOOD), STARTED))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("job " + unknown)
                .hasMessageContaining("no such analysis");
    }

    @Test
    void finishingTwiceFailsAndKeepsTheFirstVerdict() {
        long jobId = store.begin(sample("a.txt"), STARTED);
        store.finish(jobId, verdict(Result.BAD), STARTED.plusSeconds(1));

        assertThatThrownBy(() -> store.finish(jobId, verdict(Result.GOOD), STARTED.plusSeconds(2)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("job " + jobId)
                .hasMessageContaining("already finished")
                .hasMessageContaining("bad");
        assertThat(store.find(jobId).orElseThrow().result()).isEqualTo(Result.BAD);
    }

    @Test
    void finishingWithAnotherJobsVerdictFails() {
        long jobId = store.begin(sample("a.txt"), STARTED);

        assertThatThrownBy(() -> store.finish(jobId, verdict(Result.GOOD).withJobId(jobId + 1), STARTED))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("belongs to job " + (jobId + 1));
        assertThat(store.find(jobId).orElseThrow().state()).isEqualTo(State.RUNNING);
    }

    @Test
    void aResultIsReusedUntilItIsExactlyTheMaxAgeOld() {
        Sample sample = sample("aging.exe");
        Instant finishedAt = STARTED.plusSeconds(5);
        long jobId = finished(sample, Result.BAD, finishedAt);

        clock.advance(Duration.between(clock.instant(), finishedAt.plus(MAX_AGE)));
        assertThat(store.worstFinished(sample.identity(), 0).map(StoredResult::jobId)).contains(jobId);

        clock.advance(Duration.ofMillis(1));
        assertThat(store.worstFinished(sample.identity(), 0)).isEmpty();
    }

    @Test
    void anExpiredWorseResultGivesWayToAYoungerMilderOne() {
        Sample sample = sample("renamed.doc");
        finished(sample, Result.BAD, STARTED.plusSeconds(1));
        clock.advance(MAX_AGE);
        long recent = finished(sample, Result.GOOD, clock.instant());

        assertThat(store.worstFinished(sample.identity(), 0))
                .contains(new StoredResult(recent, Result.GOOD, "verdict good", clock.instant()));
    }

    @Test
    void worstFinishedOfAnUnseenIdentityIsEmpty() {
        assertThat(store.worstFinished(sample("new.txt").identity(), 0)).isEmpty();
    }

    @Test
    void worstFinishedIgnoresRunningFailedOtherIdentitiesAndTheExcludedJob() {
        Sample sample = sample("a.exe");
        store.begin(sample, STARTED);
        finished(sample, Result.FAILED, STARTED.plusSeconds(1));
        finished(sample("other.exe"), Result.BAD, STARTED.plusSeconds(1));
        long current = finished(sample, Result.BAD, STARTED.plusSeconds(2));

        assertThat(store.worstFinished(sample.identity(), current)).isEmpty();

        long earlier = finished(sample, Result.UNKNOWN, STARTED.plusSeconds(3));
        assertThat(store.worstFinished(sample.identity(), current))
                .contains(new StoredResult(earlier, Result.UNKNOWN, "verdict unknown", STARTED.plusSeconds(3)));
    }

    @Test
    void worstFinishedReturnsTheWorstResultWhateverTheOrderOfAnalyses() {
        Sample sample = sample("a.exe");
        List<Result> insertionOrder = List.of(Result.GOOD, Result.UNKNOWN, Result.BAD, Result.IGNORED,
                Result.UNCHECKED);
        long badJob = 0;
        for (int i = 0; i < insertionOrder.size(); i++) {
            long jobId = finished(sample, insertionOrder.get(i), STARTED.plusSeconds(i));
            if (insertionOrder.get(i) == Result.BAD) {
                badJob = jobId;
            }
        }

        assertThat(store.worstFinished(sample.identity(), 0).orElseThrow().jobId()).isEqualTo(badJob);
        assertThat(worstOf(Result.UNCHECKED, Result.UNKNOWN)).isEqualTo(Result.UNKNOWN);
        assertThat(worstOf(Result.IGNORED, Result.UNKNOWN)).isEqualTo(Result.IGNORED);
        assertThat(worstOf(Result.IGNORED, Result.GOOD)).isEqualTo(Result.GOOD);
    }

    @Test
    void historyOfAnUnseenIdentityIsEmpty() {
        assertThat(store.history(sample("unseen.pdf").identity(), 0)).isEmpty();
    }

    @Test
    void historyHasFirstLastAndWorstOfTheAnalysesTheKnownLookupConsiders() {
        Sample sample = sample("history.doc");
        finished(sample, Result.BAD, STARTED.minus(MAX_AGE).minusSeconds(1));
        finished(sample, Result.GOOD, STARTED.plusSeconds(1));
        finished(sample, Result.BAD, STARTED.plusSeconds(2));
        finished(sample, Result.UNKNOWN, STARTED.plusSeconds(3));
        finished(sample, Result.FAILED, STARTED.plusSeconds(4));
        finished(sample, Result.UNCHECKED, STARTED.plusSeconds(5));
        store.begin(sample, STARTED.plusSeconds(6));
        finished(sample("history.doc", "application/msword", null), Result.IGNORED, STARTED.plusSeconds(7));
        long current = finished(sample, Result.IGNORED, STARTED.plusSeconds(8));

        assertThat(store.history(sample.identity(), current)).contains(new History(STARTED.plusSeconds(1),
                STARTED.plusSeconds(3), Result.UNKNOWN, Result.BAD));
        assertThat(store.history(sample.identity(), 0)).contains(new History(STARTED.plusSeconds(1),
                STARTED.plusSeconds(8), Result.IGNORED, Result.BAD));
    }

    @Test
    void ofAnalysesFinishedAtTheSameMomentTheWorseIsTheLast() {
        Sample sample = sample("same-moment.doc");
        finished(sample, Result.BAD, STARTED.plusSeconds(1));
        finished(sample, Result.GOOD, STARTED.plusSeconds(1));

        assertThat(store.history(sample.identity(), 0)).contains(new History(STARTED.plusSeconds(1),
                STARTED.plusSeconds(1), Result.BAD, Result.BAD));
    }

    @Test
    void anUndecidedAnalysisIsNeverKnown() {
        Sample sample = sample("undecided.exe");
        finished(sample, Result.UNCHECKED, STARTED.plusSeconds(1));

        assertThat(store.worstFinished(sample.identity(), 0)).isEmpty();
    }

    @Test
    void badOutranksFailedAndFailedIsNeverReturned() {
        assertThat(worstOf(Result.FAILED, Result.BAD)).isEqualTo(Result.BAD);
        assertThat(worstOf(Result.BAD, Result.FAILED)).isEqualTo(Result.BAD);
        // failed is worse than good, yet an analysis that failed says nothing about the sample
        assertThat(worstOf(Result.GOOD, Result.FAILED)).isEqualTo(Result.GOOD);
    }

    @Test
    void amongEquallyBadResultsTheMostRecentlyFinishedWins() {
        Sample sample = sample("a.exe");
        long startedFirst = store.begin(sample, STARTED);
        long startedSecond = store.begin(sample, STARTED.plusSeconds(1));
        store.finish(startedSecond, verdict(Result.BAD), STARTED.plusSeconds(10));
        store.finish(startedFirst, verdict(Result.BAD), STARTED.plusSeconds(20));

        assertThat(store.worstFinished(sample.identity(), 0).orElseThrow().jobId()).isEqualTo(startedFirst);

        long startedThird = store.begin(sample, STARTED.plusSeconds(2));
        store.finish(startedThird, verdict(Result.BAD), STARTED.plusSeconds(30));
        assertThat(store.worstFinished(sample.identity(), 0).orElseThrow().jobId()).isEqualTo(startedThird);
    }

    @Test
    void reportSurvivesNonAsciiAndAwkwardText() {
        Sample sample = sample("Präsentation – 日本語 📎.pptx");
        long jobId = store.begin(sample, STARTED);
        List<RuleResult> report = List.of(
                RuleResult.proceed("expressions", Result.IGNORED, "Größe ≤ 5 Bytes; «zitiert» \"quoted\" \\ back\\slash"),
                RuleResult.proceed("file_type_on_whitelist", Result.UNKNOWN, "line one\nline two\ttab \u0001 control"),
                RuleResult.stop("cortex", Result.BAD, "Вредоносная программа 🦠 найдена"));

        store.finish(jobId, SampleVerdict.of(report, jobId), STARTED.plusSeconds(1));

        StoredAnalysis stored = store.find(jobId).orElseThrow();
        assertThat(stored.nameDeclared()).isEqualTo("Präsentation – 日本語 📎.pptx");
        assertThat(stored.report()).isEqualTo(report);
        assertThat(stored.reason()).isEqualTo("Вредоносная программа 🦠 найдена");
    }

    /**
     * Declared values and reasons are display metadata (the identity, computed from the full
     * values, is what matters): a store may cut them to what it keeps, but refusing them would
     * hold back every mail with such an attachment.
     */
    @Test
    void overlongDeclaredValuesAndReasonsAreKeptOrCutButNeverRefused() {
        String name = "x".repeat(1023) + "📎" + "y".repeat(4000);
        String type = "application/" + "t".repeat(300);
        String disposition = "attachment; " + "d".repeat(300);
        String reason = "ä".repeat(5000);
        Sample sample = sample(name, type, disposition);
        long jobId = store.begin(sample, STARTED);

        store.finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("cortex", Result.FAILED, reason)), jobId),
                STARTED);

        StoredAnalysis stored = store.find(jobId).orElseThrow();
        assertThat(stored.identity()).isEqualTo(sample.identity());
        assertBeginningOf(stored.nameDeclared(), name);
        assertBeginningOf(stored.typeDeclared(), type);
        assertBeginningOf(stored.contentDisposition(), disposition);
        assertBeginningOf(stored.reason(), reason);
        assertBeginningOf(stored.report().getFirst().reason(), reason);
    }

    @Test
    @Timeout(120)
    void concurrentBeginAndFinishFromEightThreads() throws Exception {
        int threads = 8;
        int perThread = 25;
        Sample shared = sample("shared.pdf");
        Set<Long> jobIds = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Result result = t % 2 == 0 ? Result.BAD : Result.GOOD;
                workers.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long jobId = store.begin(shared, STARTED);
                        jobIds.add(jobId);
                        store.finish(jobId, verdict(result), STARTED.plusMillis(i));
                        store.worstFinished(shared.identity(), jobId);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(100, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(jobIds).hasSize(threads * perThread);
        for (long jobId : jobIds) {
            StoredAnalysis stored = store.find(jobId).orElseThrow();
            assertThat(stored.state()).isEqualTo(State.FINISHED);
            assertThat(stored.reason()).isEqualTo("verdict " + stored.result().label());
        }
        assertThat(store.worstFinished(shared.identity(), 0).orElseThrow().result()).isEqualTo(Result.BAD);
    }

    /** {@code kept} is {@code full} or a beginning of it that does not end in half a character. */
    private static void assertBeginningOf(String kept, String full) {
        assertThat(kept).isNotEmpty();
        assertThat(full).startsWith(kept);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).as("ends in half a character").isFalse();
    }

    /** The worst of two finished analyses of a fresh identity, analysed in the given order. */
    private Result worstOf(Result first, Result second) {
        Sample sample = sample("pair.bin");
        finished(sample, first, STARTED);
        finished(sample, second, STARTED.plus(Duration.ofMinutes(1)));
        return store.worstFinished(sample.identity(), 0).orElseThrow().result();
    }

    private long finished(Sample sample, Result result, Instant finishedAt) {
        long jobId = store.begin(sample, finishedAt.minusSeconds(1));
        store.finish(jobId, verdict(result), finishedAt);
        return jobId;
    }

    protected static SampleVerdict verdict(Result result) {
        return SampleVerdict.of(List.of(RuleResult.stop("test_rule", result, "verdict " + result.label())), 0);
    }

    protected static Sample sample(String name) {
        return sample(name, "application/pdf", "attachment");
    }

    /** A sample with content never seen before, so each test has identities of its own. */
    protected static Sample sample(String name, String type, String disposition) {
        byte[] content = new byte[32];
        ThreadLocalRandom.current().nextBytes(content);
        String sha256 = HexFormat.of().formatHex(content);
        return new Sample(TestContents.empty(), sha256, 4711, name, type, disposition,
                SampleIdentity.of(sha256, name, type, disposition));
    }
}
