package org.peekaboo.analysis;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.sample.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a sample's cluster-wide lock ({@link SampleLocks}): taken before the sample is
 * analysed, its lease renewed while the analysis runs, released once the result is stored; and,
 * while another instance holds it, a wait that ends when that instance releases it or its lease
 * runs out (then this instance takes the analysis over).
 *
 * <p>A lock row this instance could not release because the database was gone is released
 * before the sample's next attempt: left alone, it would keep this instance waiting for itself
 * until the lease ran out. Only one attempt per identity runs in an instance at a time (the
 * engine's in-flight claim), so such a row is no running analysis's.
 */
final class ClusterLock {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLock.class);

    private final SampleLocks locks;
    private final Clock clock;
    private final Duration lease;
    private final Duration renewInterval;
    private final ScheduledExecutorService scheduler;
    private final LockWaiters waiters;
    private final Set<String> unreleased = ConcurrentHashMap.newKeySet();

    ClusterLock(SampleLocks locks, Clock clock, ClusterSettings cluster, ScheduledExecutorService scheduler) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = cluster.lease();
        this.renewInterval = cluster.renewInterval();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.waiters = new LockWaiters(locks, clock, cluster.pollInterval(), scheduler);
    }

    /**
     * Takes the lock on the sample, or empty when another instance holds a live lease on it.
     *
     * @throws RuntimeException (a store failure) when the database cannot say; the sample must
     *                          then stay undecided
     */
    Optional<Held> tryTake(Sample sample) {
        String identity = sample.identity();
        try {
            if (unreleased.remove(identity)) {
                releaseLeftOver(identity);
            }
            if (!locks.tryAcquire(identity, clock.instant(), lease)) {
                LOG.debug("Sample {} is being analysed by another instance; waiting for it", sample.sha256());
                return Optional.empty();
            }
        } catch (RuntimeException e) {
            // The database may have taken the row and gone away before saying so.
            unreleased.add(identity);
            throw e;
        }
        return Optional.of(new Held(sample));
    }

    private void releaseLeftOver(String identity) {
        try {
            locks.release(identity);
        } catch (RuntimeException e) {
            unreleased.add(identity);
            throw e;
        }
    }

    /** Whether a sample just locked may have been finished elsewhere since it was last looked up. */
    boolean othersMayHaveFinished() {
        return locks.sharedWithOtherInstances();
    }

    /**
     * Waits until the instance holding the sample's lock releases it or its lease expires.
     *
     * @return false when the engine stops meanwhile
     */
    boolean awaitRelease(Sample sample) throws InterruptedException {
        return waiters.await(sample.identity());
    }

    /** Samples waiting for other instances right now. */
    int waiting() {
        return waiters.waiting();
    }

    /** Ends every wait for another instance: the retry finds that instance's result. */
    void stopWaiting() {
        waiters.close();
    }

    /** Releases every lock this instance holds, so that other instances can take the samples over at once. */
    void releaseAll() {
        try {
            int released = locks.releaseAll();
            if (released > 0) {
                LOG.info("Released {} sample locks at shutdown", released);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sample locks could not be released at shutdown; they expire with their leases: {}",
                    e.getMessage());
        }
    }

    /**
     * A lock this instance holds. Its lease is renewed every renew interval until it is closed; a
     * lost lock is logged once, and the analysis goes on and stores its result, which is at worst
     * duplicated work.
     */
    final class Held implements AutoCloseable {
        private final Sample sample;
        private final ScheduledFuture<?> renewal;
        private volatile boolean lost;

        private Held(Sample sample) {
            this.sample = sample;
            long period = renewInterval.toNanos();
            // Nobody can take over a lock of this process only: nothing to renew.
            this.renewal = locks.sharedWithOtherInstances()
                    ? scheduler.scheduleAtFixedRate(this::renew, period, period, TimeUnit.NANOSECONDS)
                    : null;
        }

        private void renew() {
            if (lost) {
                return;
            }
            try {
                if (!locks.renew(sample.identity(), clock.instant(), lease)) {
                    lost = true;
                    LOG.warn("Sample {}: lost the lock while analysing (lease expired and taken over by another "
                            + "instance); finishing the analysis anyway", sample.sha256());
                }
            } catch (RuntimeException e) {
                // The lease may still be alive at the next attempt; only an expiry loses it.
                StoreFailures.warnUnlessUnreachable(LOG, e, "Sample {}: the lease could not be renewed: {}",
                        sample.sha256(), e.getMessage());
            }
        }

        /** Stops renewing and releases the lock; a release the database cannot take is done at the next attempt. */
        @Override
        public void close() {
            if (renewal != null) {
                renewal.cancel(false);
            }
            try {
                if (!locks.release(sample.identity())) {
                    LOG.warn("Sample {}: the lock was no longer this instance's when the analysis ended "
                            + "(lease expired and taken over); the result is stored anyway", sample.sha256());
                }
            } catch (RuntimeException e) {
                // The lease runs out by itself; until then other instances wait, which is safe.
                unreleased.add(sample.identity());
                StoreFailures.warnUnlessUnreachable(LOG, e, "Sample {}: the lock could not be released: {}",
                        sample.sha256(), e.getMessage());
            }
        }
    }
}
