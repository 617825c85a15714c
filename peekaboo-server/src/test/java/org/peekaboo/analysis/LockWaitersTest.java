package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.db.testing.MutableClock;

/** The waiting room for samples locked elsewhere, polled by hand (the scheduled poll is a minute away). */
class LockWaitersTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeSampleLocks locks = new FakeSampleLocks("this-instance");
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LockWaiters waiters = new LockWaiters(locks, clock, Duration.ofMinutes(1), scheduler);
    private final List<String> resumed = new CopyOnWriteArrayList<>();

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
    void allWaitersAreCheckedWithOneQueryAndOnlyFreedOnesResume() {
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String identity = "sample-" + i;
            identities.add(identity);
            locks.holdElsewhere(identity, clock.instant(), LEASE);
            assertThat(waiters.await(identity, () -> resumed.add(identity))).isTrue();
        }
        locks.releaseElsewhere("sample-7");
        locks.releaseElsewhere("sample-42");

        waiters.poll();

        assertThat(locks.leaseQueries()).isEqualTo(1);
        assertThat(locks.leaseQuerySizes()).containsExactly(100);
        assertThat(resumed).containsExactlyInAnyOrder("sample-7", "sample-42");
        assertThat(waiters.waiting()).isEqualTo(98);
    }

    @Test
    void anExpiredLeaseResumesItsWaiter() {
        locks.holdElsewhere("stale", clock.instant(), LEASE);
        waiters.await("stale", () -> resumed.add("stale"));

        waiters.poll();
        assertThat(resumed).isEmpty();

        clock.advance(LEASE.plusMillis(1));
        waiters.poll();
        assertThat(resumed).containsExactly("stale");
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void closingHandsBackTheWaitersAndRefusesNewOnes() {
        locks.holdElsewhere("held", clock.instant(), LEASE);
        waiters.await("held", () -> resumed.add("held"));

        assertThat(waiters.close()).containsExactly("held");

        assertThat(waiters.await("late", () -> resumed.add("late"))).isFalse();
        waiters.poll();
        assertThat(resumed).isEmpty();
        assertThat(locks.leaseQueries()).isZero();
    }
}
