package org.peekaboo.analysis;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker permits ({@code [global] worker_count}), and the decision whether a sample can
 * still be judged before its client stops waiting.
 *
 * <p>A permit is held while a sample's rules compute; a sample gives it back while it waits for
 * work done elsewhere (a Cortex job), so that a few permits keep many such samples going.
 *
 * <p>Admission is by time, not by count: a sample that would wait longer for a permit than its
 * deadline allows is refused at once (answered {@code unchecked}; the mail is retried later),
 * everything else waits its turn, however many there are. The wait is estimated from what was
 * measured: the samples waiting ahead, divided among the permits, times how long a permit is held
 * — the median of the last holds, so that one slow sample (the first after start-up, a huge
 * attachment) does not refuse the work behind it, while rules that became slow count as soon as
 * half of the recent holds were slow. Before any hold has finished nothing is refused. A sample
 * that finds a permit free and nobody waiting always enters, so the engine recovers from an
 * overload by itself as soon as the work ahead is done.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    /** How many of the last holds the median is taken of. */
    static final int RECENT_HOLDS = 31;

    private final int permits;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition freed = lock.newCondition();
    // All guarded by lock.
    private int free;
    private int waiting;
    private final long[] recentHolds = new long[RECENT_HOLDS];
    private int holdsSeen;
    /** Refusals since samples last entered without a queue; an overload is logged once, not per sample. */
    private long refusedSinceCalm;

    Admission(int permits, LongSupplier nanoTime) {
        if (permits < 1) {
            throw new IllegalArgumentException("at least one permit is needed, got " + permits);
        }
        this.permits = permits;
        this.free = permits;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a permit, waiting for one as long as it takes, unless the estimated wait would end
     * after {@code deadlineNanos} (a {@link System#nanoTime()} value).
     *
     * @throws Refused              with the overload verdict for the client
     * @throws InterruptedException when the engine stops while the sample waits
     */
    Permit enter(long deadlineNanos) throws Refused, InterruptedException {
        lock.lockInterruptibly();
        try {
            if (free == 0 || waiting > 0) {
                long now = nanoTime.getAsLong();
                long estimate = estimatedWait();
                if (now + estimate - deadlineNanos > 0) {
                    String why = describe(estimate, deadlineNanos - now);
                    if (refusedSinceCalm++ == 0) {
                        LOG.warn("Overloaded: samples that cannot be judged before their clients stop waiting are "
                                + "answered unchecked at once ({})", why);
                    }
                    throw new Refused(Undecided.OVERLOAD.verdict(why));
                }
                awaitFree();
            }
            if (refusedSinceCalm > 0 && waiting == 0) {
                LOG.info("No longer overloaded: samples are admitted again; {} were refused", refusedSinceCalm);
                refusedSinceCalm = 0;
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by lock; waits in line until a permit is free. */
    private void awaitFree() throws InterruptedException {
        waiting++;
        try {
            while (free == 0) {
                freed.await();
            }
        } finally {
            waiting--;
        }
    }

    /** Guarded by lock; a permit is free. */
    private Permit take() {
        free--;
        return new Permit(nanoTime.getAsLong());
    }

    /** Guarded by lock. */
    private long estimatedWait() {
        return (long) ((waiting + 1) * (double) medianHoldNanos() / permits);
    }

    /** Guarded by lock; 0 before any hold has finished. */
    private long medianHoldNanos() {
        int count = Math.min(holdsSeen, RECENT_HOLDS);
        if (count == 0) {
            return 0;
        }
        long[] holds = Arrays.copyOf(recentHolds, count);
        Arrays.sort(holds);
        return holds[count / 2];
    }

    private String describe(long estimateNanos, long leftNanos) {
        return waiting + " samples waiting for " + permits + " workers, about " + millis(estimateNanos)
                + " ms to wait but " + Math.max(0, millis(leftNanos)) + " ms left";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void release(long start, boolean measured) {
        long held = nanoTime.getAsLong() - start;
        lock.lock();
        try {
            if (measured) {
                recentHolds[holdsSeen % RECENT_HOLDS] = held;
                holdsSeen++;
            }
            free++;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Samples waiting for a permit right now. */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** The median of the last holds of a permit. */
    Duration medianHold() {
        lock.lock();
        try {
            return Duration.ofNanos(medianHoldNanos());
        } finally {
            lock.unlock();
        }
    }

    /**
     * One worker's permit, held by the thread that judges a sample. Not thread-safe: only that
     * thread uses it.
     */
    final class Permit implements AutoCloseable {
        private long start;
        private long heldBefore;
        private boolean held = true;

        private Permit(long start) {
            this.start = start;
        }

        /** Gives the permit back while the sample waits for work done elsewhere. */
        void suspend() {
            if (held) {
                held = false;
                // start already goes back by the compute time before an earlier wait.
                heldBefore = nanoTime.getAsLong() - start;
                release(start, false);
            }
        }

        /** Takes a permit again after {@link #suspend()}, waiting for one without a deadline: the sample is admitted. */
        void resume() throws InterruptedException {
            if (held) {
                return;
            }
            lock.lockInterruptibly();
            try {
                awaitFree();
                // The compute time before the wait counts towards this hold.
                start = take().start - heldBefore;
                held = true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            if (held) {
                held = false;
                release(start, true);
            }
        }
    }

    /** A sample that cannot be judged in time. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient SampleVerdict verdict;

        Refused(SampleVerdict verdict) {
            super(verdict.reason(), null, false, false);
            this.verdict = verdict;
        }

        SampleVerdict verdict() {
            return verdict;
        }
    }
}
