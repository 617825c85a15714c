package org.peekaboo.analysis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;

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
 * — the moving average of finished holds, or the mean age of the holds running now when that is
 * longer (so that suddenly slow rules count before any of them finishes). A sample that finds a
 * permit free and nobody waiting always enters, so the engine recovers from an overload by itself
 * as soon as the work ahead is done.
 */
final class Admission {
    /** Weight of the newest hold in the moving average: about the last ten holds count. */
    private static final double SMOOTHING = 0.1;

    private final int permits;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition freed = lock.newCondition();
    // All guarded by lock.
    private int free;
    private int waiting;
    private int running;
    private long runningStartSum;
    private double meanHoldNanos;

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
                long estimate = estimatedWait(now);
                if (now + estimate - deadlineNanos > 0) {
                    throw new Refused(Undecided.OVERLOAD.verdict(describe(estimate, deadlineNanos - now)));
                }
                awaitFree();
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
        long start = nanoTime.getAsLong();
        running++;
        runningStartSum += start;
        return new Permit(start);
    }

    /** Guarded by lock. */
    private long estimatedWait(long now) {
        double hold = meanHoldNanos;
        if (running > 0) {
            double meanAge = now - (double) runningStartSum / running;
            hold = Math.max(hold, meanAge);
        }
        return (long) ((waiting + 1) * hold / permits);
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
            running--;
            runningStartSum -= start;
            if (measured) {
                meanHoldNanos = meanHoldNanos == 0 ? held : meanHoldNanos + SMOOTHING * (held - meanHoldNanos);
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

    /** The moving average of how long a permit is held. */
    Duration meanHold() {
        lock.lock();
        try {
            return Duration.ofNanos((long) meanHoldNanos);
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
                Permit again = take();
                start = again.start - heldBefore;
                // The compute time before the wait counts towards this hold; the new entry's own start is dropped.
                runningStartSum += start - again.start;
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
