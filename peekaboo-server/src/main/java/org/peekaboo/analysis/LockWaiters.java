package org.peekaboo.analysis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.peekaboo.analysis.SampleLocks.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples whose lock another instance holds. Each waits on its own thread (a virtual one: the
 * wait costs no worker); every poll interval the leases of all of them are read in one batched
 * look-up, and the waits of those whose lock is gone or whose lease expired end, so that they can
 * try to acquire again. While nobody waits, the database is not asked at all.
 */
final class LockWaiters {
    private static final Logger LOG = LoggerFactory.getLogger(LockWaiters.class);

    private final SampleLocks locks;
    private final Clock clock;
    /** Completed with true when the lock may be taken again, with false when the waiters close. */
    private final Map<String, CompletableFuture<Boolean>> waiting = new ConcurrentHashMap<>();
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
     * Blocks until the lock on {@code identity} is released or its lease expires. One waiter per
     * identity: the engine lets only one sample per identity get here.
     *
     * @return true when the lock may be tried again, false when the waiters closed (the engine stops)
     */
    boolean await(String identity) throws InterruptedException {
        CompletableFuture<Boolean> freed = new CompletableFuture<>();
        if (waiting.putIfAbsent(identity, freed) != null) {
            throw new IllegalStateException("already waiting for the lock on " + identity);
        }
        try {
            // close() may have answered the waiters between the caller's last look and the put.
            if (closed) {
                return false;
            }
            return freed.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a lock wait cannot fail", e);
        } finally {
            waiting.remove(identity, freed);
        }
    }

    int waiting() {
        return waiting.size();
    }

    /** Checks every waiting identity with one look-up and ends the waits of those that may try again. */
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
                CompletableFuture<Boolean> freed = waiting.get(identity);
                if (freed != null) {
                    freed.complete(true);
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

    /** Stops polling and ends every wait: waiting for another instance could outlast any shutdown grace. */
    void close() {
        closed = true;
        polling.cancel(false);
        waiting.values().forEach(freed -> freed.complete(false));
    }
}
