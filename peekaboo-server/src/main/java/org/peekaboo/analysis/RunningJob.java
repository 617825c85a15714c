package org.peekaboo.analysis;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.peekaboo.ruleset.Job;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The job of an analysis under way, recorded in the store when its id is first needed: by a rule
 * (an expression naming {@code sample.id}, a rule about to wait for Cortex) or by the judge's
 * timer once the analysis has run long enough to be worth showing as running. Once the run has
 * ended nothing is recorded any more; the judge then finishes the job or records the analysis
 * finished in one go. Thread-safe: the timer and the judging thread may race.
 */
final class RunningJob implements Job {
    // A lock rather than synchronized: the start is a database call, which must not pin a carrier.
    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier begin;
    // Guarded by lock.
    private long id = SampleVerdict.NO_JOB;
    private boolean ended;

    RunningJob(LongSupplier begin) {
        this.begin = begin;
    }

    @Override
    public long id() {
        lock.lock();
        try {
            if (id == SampleVerdict.NO_JOB && !ended) {
                id = begin.getAsLong();
            }
            return id;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long idSoFar() {
        lock.lock();
        try {
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** The run has ended: records nothing from now on; returns the id recorded so far. */
    long end() {
        lock.lock();
        try {
            ended = true;
            return id;
        } finally {
            lock.unlock();
        }
    }
}
