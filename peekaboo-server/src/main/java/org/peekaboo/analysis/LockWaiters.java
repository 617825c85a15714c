package org.peekaboo.analysis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.peekaboo.analysis.SampleLocks.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples whose lock another instance holds, waiting without a thread. Every poll interval
 * the leases of all of them are read in one batched look-up; an identity whose lock is gone
 * or whose lease expired is handed back (its {@code resume} runs) so that it can try to
 * acquire again. While nobody waits, the database is not asked at all.
 */
final class LockWaiters {
    private static final Logger LOG = LoggerFactory.getLogger(LockWaiters.class);

    private final SampleLocks locks;
    private final Clock clock;
    private final Map<String, Runnable> waiting = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> polling;
    private volatile boolean closed;
    /** Only the polling task touches it; its runs never overlap and hand over through the scheduler. */
    private boolean failing;

    LockWaiters(SampleLocks locks, Clock clock, Duration pollInterval, ScheduledExecutorService scheduler) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        long period = pollInterval.toNanos();
        this.polling = scheduler.scheduleWithFixedDelay(this::pollSafely, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for the lock on {@code identity} to be released or to expire, then runs
     * {@code resume} (on the polling thread, so it must only hand work over). One waiter
     * per identity: the engine's in-flight map lets only one sample per identity get here.
     *
     * @return false if the waiters are closed (the engine shuts down); the caller answers the sample
     */
    boolean await(String identity, Runnable resume) {
        if (closed) {
            return false;
        }
        Runnable previous = waiting.putIfAbsent(identity, resume);
        if (previous != null) {
            throw new IllegalStateException("already waiting for the lock on " + identity);
        }
        // close() may have taken its snapshot between the check and the put.
        if (closed && waiting.remove(identity, resume)) {
            return false;
        }
        return true;
    }

    int waiting() {
        return waiting.size();
    }

    /** Checks every waiting identity with one look-up and resumes those that may try again. */
    void poll() {
        if (waiting.isEmpty()) {
            return;
        }
        List<String> identities = List.copyOf(waiting.keySet());
        Map<String, Lease> leases = locks.leases(identities);
        var now = clock.instant();
        for (String identity : identities) {
            Lease lease = leases.get(identity);
            if (lease == null || lease.expiredAt(now)) {
                Runnable resume = waiting.remove(identity);
                if (resume != null) {
                    resume.run();
                }
            }
        }
    }

    private void pollSafely() {
        try {
            poll();
            if (failing) {
                failing = false;
                LOG.info("Locks of samples waiting for other instances can be checked again");
            }
        } catch (RuntimeException e) {
            // The requests' deadlines answer them meanwhile; the next poll tries again, so an
            // outage delays the waiting samples but does not lose them. Said once per outage,
            // not once per poll.
            if (!failing) {
                failing = true;
                LOG.warn("Could not check the locks of {} samples waiting for other instances; retrying every poll: {}",
                        waiting.size(), e.getMessage());
            }
        }
    }

    /** Stops polling; returns the identities that were still waiting, for the caller to answer. */
    Set<String> close() {
        closed = true;
        polling.cancel(false);
        Set<String> abandoned = Set.copyOf(waiting.keySet());
        waiting.keySet().removeAll(abandoned);
        return abandoned;
    }
}
