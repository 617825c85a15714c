package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.sample.SampleIdentity;

/**
 * The waits of samples locked elsewhere, each on a thread of its own, polled by hand (the
 * scheduled poll is a minute away).
 */
class LockWaitersTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final long TIMEOUT_SECONDS = 30;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeSampleLocks locks = new FakeSampleLocks("this-instance");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LockWaiters waiters = new LockWaiters(locks, clock, Duration.ofMinutes(1), scheduler);

    @AfterEach
    void stop() {
        waiters.close();
        scheduler.shutdownNow();
    }

    @Test
    void nobodyWaitingMeansNoQuery() {
        waiters.poll();

        assertThat(locks.leaseQueries()).isZero();
    }

    @Test
    void allWaitersAreCheckedWithOneQueryAndOnlyFreedOnesGoOn() throws Exception {
        Map<String, CompletableFuture<Boolean>> waits = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            String identity = identity("sample-" + i);
            locks.holdElsewhere(identity, clock.instant(), LEASE);
            waits.put(identity, waitFor(identity));
        }
        awaitWaiting(100);
        String seventh = identity("sample-7");
        String fortySecond = identity("sample-42");
        locks.releaseElsewhere(seventh);
        locks.releaseElsewhere(fortySecond);

        waiters.poll();

        assertThat(waits.get(seventh).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(waits.get(fortySecond).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(locks.leaseQueries()).isEqualTo(1);
        assertThat(locks.leaseQuerySizes()).containsExactly(100);
        awaitWaiting(98);
        assertThat(waits.values()).filteredOn(CompletableFuture::isDone).hasSize(2);
    }

    @Test
    void anExpiredLeaseEndsItsWait() throws Exception {
        String stale = identity("stale");
        locks.holdElsewhere(stale, clock.instant(), LEASE);
        CompletableFuture<Boolean> wait = waitFor(stale);
        awaitWaiting(1);

        waiters.poll();
        assertThat(wait).isNotDone();

        clock.advance(LEASE.plusMillis(1));
        waiters.poll();
        assertThat(wait.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        awaitWaiting(0);
    }

    @Test
    void closingEndsEveryWaitAndRefusesNewOnes() throws Exception {
        String held = identity("held");
        locks.holdElsewhere(held, clock.instant(), LEASE);
        CompletableFuture<Boolean> wait = waitFor(held);
        awaitWaiting(1);

        waiters.close();

        assertThat(wait.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isFalse();
        assertThat(waiters.await(identity("late"))).isFalse();
        waiters.poll();
        assertThat(locks.leaseQueries()).isZero();
    }

    @Test
    void anInterruptedWaitLeavesNothingBehind() throws Exception {
        String held = identity("held");
        locks.holdElsewhere(held, clock.instant(), LEASE);
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                waiters.await(held);
            } catch (InterruptedException expected) {
                // The engine stops.
            }
        });
        awaitWaiting(1);

        waiting.interrupt();

        assertThat(waiting.join(Duration.ofSeconds(TIMEOUT_SECONDS))).isTrue();
        assertThat(waiters.waiting()).isZero();
    }

    /** A sample identity as the engine asks the locks about (no other is taken), named for the test. */
    private static String identity(String name) {
        return SampleIdentity.of(name, null, null, null);
    }

    private CompletableFuture<Boolean> waitFor(String identity) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(waiters.await(identity));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void awaitWaiting(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (waiters.waiting() != count) {
            assertThat(System.nanoTime()).as("%d waiting, expected %d", waiters.waiting(), count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
