package org.peekaboo.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The files of one request while they are judged. Each file is decided once; the job is done
 * when the last one is. A front end waits for {@link #done()} and, when its client's patience
 * runs out first, reports what {@link #decidedSoFar} says. The engine that took the request
 * decides its files. Thread-safe.
 */
public final class ScanJob {
    private final AtomicReferenceArray<JudgedSample> judged;
    private final AtomicInteger undecided;
    private final CompletableFuture<List<JudgedSample>> done = new CompletableFuture<>();

    public ScanJob(int files) {
        this.judged = new AtomicReferenceArray<>(files);
        this.undecided = new AtomicInteger(files);
    }

    /** A job whose files are all decided alike, e.g. refused because Peekaboo stops. */
    public static ScanJob decided(int files, SampleVerdict verdict) {
        ScanJob job = new ScanJob(files);
        for (int i = 0; i < files; i++) {
            job.decide(i, JudgedSample.undecided(verdict));
        }
        return job;
    }

    /**
     * Completes with every file's judgement in request order, or exceptionally with
     * {@link RejectedRequestException} (or another failure of the engine, which front ends
     * answer as an internal error).
     */
    public CompletableFuture<List<JudgedSample>> done() {
        return done;
    }

    public int files() {
        return judged.length();
    }

    /** Every file's judgement so far; a file still being judged gets {@code stillRunning}. */
    public List<JudgedSample> decidedSoFar(SampleVerdict stillRunning) {
        List<JudgedSample> files = new ArrayList<>(judged.length());
        for (int i = 0; i < judged.length(); i++) {
            JudgedSample file = judged.get(i);
            files.add(file != null ? file : JudgedSample.undecided(stillRunning));
        }
        return files;
    }

    /** Records the judgement of file {@code index}; a file already decided keeps its first one. */
    public void decide(int index, JudgedSample file) {
        if (judged.compareAndSet(index, null, file) && undecided.decrementAndGet() == 0) {
            done.complete(decidedSoFar(null));
        }
    }

    /** Decides every file not decided yet, e.g. at shutdown. */
    public void decideRest(SampleVerdict verdict) {
        for (int i = 0; i < judged.length(); i++) {
            decide(i, JudgedSample.undecided(verdict));
        }
    }

    /** Refuses the request, e.g. with {@link RejectedRequestException}; files decided so far are dropped. */
    public void reject(RuntimeException failure) {
        done.completeExceptionally(failure);
    }
}
