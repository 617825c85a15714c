package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.db.schema.Tables.ANALYSIS;
import static org.peekaboo.db.schema.Tables.HTTP_JOB;
import static org.peekaboo.db.schema.Tables.SAMPLE_LOCK;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.db.Purger.Outcome;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.http.HttpJobs;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * What the purge must do on every database. Subclasses supply an open, migrated database
 * that is empty at the start of each test (the purge deletes across all samples).
 */
public abstract class PurgerContract {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration PURGE_AFTER = Duration.ofDays(90);
    private static final Duration LEASE = Duration.ofHours(3);
    private static final int BATCH = 10;

    private final MutableClock clock = new MutableClock(NOW);
    private Database database;
    private AnalysisStore store;
    private SampleLocks firstLocks;
    private SampleLocks secondLocks;
    private Purger first;
    private Purger second;

    /** Opens an empty database for this test; the test closes it. */
    protected abstract Database openEmptyDatabase();

    @BeforeEach
    void open() {
        database = openEmptyDatabase();
        store = database.analysisStore("purge-test", clock, Duration.ofDays(30));
        firstLocks = database.sampleLocks("first-instance");
        secondLocks = database.sampleLocks("second-instance");
        first = database.purger(firstLocks, clock, PURGE_AFTER, BATCH, LEASE);
        second = database.purger(secondLocks, clock, PURGE_AFTER, BATCH, LEASE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void deletesOnlyFinishedAnalysesOlderThanThePurgeAgeInBatches() {
        Instant old = NOW.minus(PURGE_AFTER).minusSeconds(1);
        List<Long> oldFinished = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            oldFinished.add(finished(old.minusSeconds(60 + i), old));
        }
        long oldRunning = store.begin(sample(), old.minus(Duration.ofDays(400)));
        long finishedAtTheCutoff = finished(old, NOW.minus(PURGE_AFTER));
        long startedOldFinishedRecently = finished(old.minus(Duration.ofDays(1)), NOW.minusSeconds(5));
        long young = finished(NOW.minusSeconds(10), NOW.minusSeconds(9));

        Outcome outcome = first.purge().orElseThrow();

        assertThat(outcome.analysesDeleted()).isEqualTo(25);
        // 10 + 10 + 5 analyses, then one look each at the (empty) lock rows and REST jobs.
        assertThat(outcome.batches()).isEqualTo(5);
        assertThat(outcome.finished()).isTrue();
        assertThat(oldFinished).allSatisfy(jobId -> assertThat(store.find(jobId)).isEmpty());
        assertThat(List.of(oldRunning, finishedAtTheCutoff, startedOldFinishedRecently, young))
                .allSatisfy(jobId -> assertThat(store.find(jobId)).isPresent());
        assertThat(database.dsl().fetchCount(ANALYSIS)).isEqualTo(4);
    }

    @Test
    void anExactMultipleOfTheBatchSizeIsDeletedCompletely() {
        Instant old = NOW.minus(PURGE_AFTER).minus(Duration.ofDays(1));
        for (int i = 0; i < 2 * BATCH; i++) {
            finished(old, old.plusSeconds(1));
        }

        Outcome outcome = first.purge().orElseThrow();

        assertThat(outcome.analysesDeleted()).isEqualTo(2 * BATCH);
        assertThat(database.dsl().fetchCount(ANALYSIS)).isZero();
    }

    @Test
    void deletesLockRowsWhoseLeaseEndedLongerAgoThanThePurgeAge() {
        String longDead = identity();
        String recentlyExpired = identity();
        String live = identity();
        secondLocks.tryAcquire(longDead, NOW.minus(PURGE_AFTER).minus(Duration.ofDays(2)), Duration.ofMinutes(1));
        for (int i = 0; i < 12; i++) {
            secondLocks.tryAcquire(identity(), NOW.minus(PURGE_AFTER).minus(Duration.ofDays(1)), Duration.ofMinutes(1));
        }
        secondLocks.tryAcquire(recentlyExpired, NOW.minus(Duration.ofDays(1)), Duration.ofMinutes(1));
        secondLocks.tryAcquire(live, NOW, Duration.ofMinutes(1));

        Outcome outcome = first.purge().orElseThrow();

        assertThat(outcome.locksDeleted()).isEqualTo(13);
        assertThat(secondLocks.leases(List.of(longDead, recentlyExpired, live)).keySet())
                .containsExactlyInAnyOrder(recentlyExpired, live);
        assertThat(database.dsl().fetchCount(SAMPLE_LOCK)).isEqualTo(2);
    }

    @Test
    void deletesRestJobsCreatedLongerAgoThanThePurgeAgeRunningOrNot() {
        Instant old = NOW.minus(PURGE_AFTER).minus(Duration.ofDays(1));
        MutableClock jobClock = new MutableClock(old);
        JooqHttpJobs jobs = database.httpJobs("purge-test", jobClock);
        long oldRunning = jobs.create();
        long oldFinished = jobs.create();
        jobs.finish(oldFinished, new HttpJobs.Report(Result.GOOD, "fine", List.of()));
        for (int i = 0; i < 11; i++) {
            jobs.create();
        }
        jobClock.advance(Duration.between(old, NOW.minusSeconds(5)));
        long young = jobs.create();

        Outcome outcome = first.purge().orElseThrow();

        assertThat(outcome.httpJobsDeleted()).isEqualTo(13);
        assertThat(outcome.finished()).isTrue();
        assertThat(database.dsl().fetchCount(HTTP_JOB)).isOne();
        assertThat(List.of(oldRunning, oldFinished)).allSatisfy(jobId -> assertThat(jobs.report(jobId)).isEmpty());
        jobs.finish(young, new HttpJobs.Report(Result.BAD, "marker", List.of()));
        assertThat(jobs.report(young)).isPresent();
    }

    @Test
    void releasesThePurgeLockAfterARound() {
        first.purge().orElseThrow();

        assertThat(firstLocks.leases(List.of(Purger.LOCK_IDENTITY))).isEmpty();
        assertThat(second.purge()).isPresent();
    }

    @Test
    void aSecondInstanceSkipsTheRoundWhileTheFirstHoldsThePurgeLock() {
        Instant old = NOW.minus(PURGE_AFTER).minus(Duration.ofDays(1));
        long jobId = finished(old, old);
        // As the first instance does during its round.
        assertThat(firstLocks.tryAcquire(Purger.LOCK_IDENTITY, NOW, LEASE)).isTrue();

        assertThat(second.purge()).isEmpty();
        assertThat(store.find(jobId)).isPresent();
        assertThat(firstLocks.leases(List.of(Purger.LOCK_IDENTITY)).get(Purger.LOCK_IDENTITY).owner())
                .isEqualTo("first-instance");

        firstLocks.release(Purger.LOCK_IDENTITY);
        assertThat(second.purge().orElseThrow().analysesDeleted()).isEqualTo(1);
    }

    @Test
    void aPurgeLockLeftByADeadInstanceIsTakenOverOnceItsLeaseEnded() {
        assertThat(firstLocks.tryAcquire(Purger.LOCK_IDENTITY, NOW, LEASE)).isTrue();

        clock.advance(LEASE.plusMillis(1));

        assertThat(second.purge()).isPresent();
    }

    @Test
    void aFailedRoundIsLoggedNotThrown() {
        database.close();

        first.purgeLogged();
    }

    private long finished(Instant createdAt, Instant finishedAt) {
        long jobId = store.begin(sample(), createdAt);
        store.finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("test_rule", Result.GOOD, "fine")), jobId),
                finishedAt);
        return jobId;
    }

    private static Sample sample() {
        String sha256 = identity();
        return new Sample(TestContents.empty(), sha256, 1, "a.txt", "text/plain", "attachment",
                SampleIdentity.of(sha256, "a.txt", "text/plain", "attachment"));
    }

    private static String identity() {
        byte[] content = new byte[32];
        ThreadLocalRandom.current().nextBytes(content);
        return HexFormat.of().formatHex(content);
    }
}
