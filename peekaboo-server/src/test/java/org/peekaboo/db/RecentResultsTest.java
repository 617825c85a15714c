package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.verdict.Result;

/** Earlier results in memory for a database that only this process writes, against a database the test plays. */
class RecentResultsTest {
    private static final String IDENTITY = "a".repeat(64);
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final RecentResults recent = new RecentResults();
    private final List<Long> queries = new ArrayList<>();
    private Optional<StoredResult> inDatabase = Optional.empty();

    private Optional<StoredResult> lookUp(long excludingJobId, Instant oldestUsable) {
        return recent.worstFinished(IDENTITY, excludingJobId, oldestUsable, excluding -> {
            queries.add(excluding);
            return inDatabase.filter(result -> result.jobId() != excluding);
        });
    }

    @Test
    void theDatabaseIsAskedOnceAndWhatItSaidIsKept() {
        inDatabase = Optional.of(new StoredResult(3, Result.BAD, "evil", T0));

        assertThat(lookUp(0, T0)).isEqualTo(inDatabase);
        assertThat(lookUp(0, T0)).isEqualTo(inDatabase);

        assertThat(queries).containsExactly(0L);
    }

    @Test
    void aResultWrittenLaterIsMergedIntoWhatIsKnownAlsoIntoNothingKnown() {
        assertThat(lookUp(0, T0)).isEmpty();

        recent.written(IDENTITY, 4, Result.GOOD, "fine", T0.plusSeconds(1));
        assertThat(lookUp(0, T0)).contains(new StoredResult(4, Result.GOOD, "fine", T0.plusSeconds(1)));
        recent.written(IDENTITY, 5, Result.BAD, "evil", T0.plusSeconds(2));
        recent.written(IDENTITY, 6, Result.IGNORED, "whitelisted", T0.plusSeconds(3));

        assertThat(lookUp(0, T0)).contains(new StoredResult(5, Result.BAD, "evil", T0.plusSeconds(2)));
        assertThat(queries).containsExactly(0L);
    }

    @Test
    void amongEquallyBadResultsTheLatestCounts() {
        assertThat(lookUp(0, T0)).isEmpty();
        recent.written(IDENTITY, 8, Result.BAD, "second", T0.plusSeconds(5));
        recent.written(IDENTITY, 7, Result.BAD, "first", T0.plusSeconds(1));

        assertThat(lookUp(0, T0).orElseThrow().jobId()).isEqualTo(8);
    }

    @Test
    void failedAndUncheckedResultsNeverCount() {
        assertThat(lookUp(0, T0)).isEmpty();
        recent.written(IDENTITY, 9, Result.FAILED, "broken", T0);
        recent.written(IDENTITY, 10, Result.UNCHECKED, "deadline", T0);

        assertThat(lookUp(0, T0)).isEmpty();
    }

    @Test
    void anIdentityNeverReadIsNotInventedFromAWrite() {
        recent.written(IDENTITY, 11, Result.GOOD, "fine", T0);
        inDatabase = Optional.of(new StoredResult(2, Result.BAD, "older and worse", T0));

        assertThat(lookUp(0, T0).orElseThrow().jobId()).isEqualTo(2);
    }

    @Test
    void aResultTooOldToBeReusedIsLookedUpAgain() {
        inDatabase = Optional.of(new StoredResult(3, Result.BAD, "evil", T0));
        lookUp(0, T0);
        inDatabase = Optional.of(new StoredResult(12, Result.GOOD, "younger", T0.plusSeconds(60)));

        assertThat(lookUp(0, T0.plusSeconds(1))).isEqualTo(inDatabase);
        assertThat(lookUp(0, T0.plusSeconds(1))).isEqualTo(inDatabase);
        assertThat(queries).containsExactly(0L, 0L);
    }

    @Test
    void theExcludedJobIsAskedOfTheDatabaseAndNotKept() {
        inDatabase = Optional.of(new StoredResult(3, Result.BAD, "evil", T0));
        lookUp(0, T0);

        assertThat(lookUp(3, T0)).isEmpty();
        assertThat(lookUp(0, T0).orElseThrow().jobId()).isEqualTo(3);
        assertThat(queries).containsExactly(0L, 3L);
    }

    @Test
    void aResultWrittenWhileTheDatabaseIsReadIsNotLost() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        CompletableFuture<Optional<StoredResult>> lookUp = CompletableFuture.supplyAsync(() ->
                recent.worstFinished(IDENTITY, 0, T0, excluding -> {
                    reading.countDown();
                    try {
                        proceed.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.empty();
                }));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> write = CompletableFuture.runAsync(() ->
                recent.written(IDENTITY, 13, Result.BAD, "written meanwhile", T0.plusSeconds(1)));
        proceed.countDown();
        lookUp.get(10, TimeUnit.SECONDS);
        write.get(10, TimeUnit.SECONDS);

        assertThat(lookUp(0, T0).orElseThrow().jobId()).isEqualTo(13);
    }
}
