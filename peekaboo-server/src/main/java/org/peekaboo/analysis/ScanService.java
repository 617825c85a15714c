package org.peekaboo.analysis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.peekaboo.ruleset.SampleVerdict;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;

/**
 * The verdict engine as the front ends see it. Never blocks the caller: every step runs
 * on the engine's own workers.
 */
public interface ScanService {

    /**
     * Checks the files of one request and starts judging them.
     *
     * <p>The returned future completes exceptionally with {@link RejectedRequestException}
     * when a file may not be scanned (relative, missing, not a regular file, unreadable,
     * outside the allowed directories); its message is meant for the client. Otherwise it
     * completes with one {@link PendingSample} per declaration, in request order. When the
     * engine is overloaded the samples' outcomes are already complete and undecided.
     */
    CompletableFuture<List<PendingSample>> start(List<SampleDeclaration> declarations);

    /** A file of a request whose judgement may still be under way. */
    record PendingSample(SampleDeclaration declaration, CompletableFuture<JudgedSample> outcome) {
    }

    /**
     * A judged file.
     *
     * @param sample  the sample, or null when its content could not even be read
     * @param verdict the verdict; undecided ones carry {@code unchecked} or {@code failed}
     */
    record JudgedSample(Sample sample, SampleVerdict verdict) {
    }

    /** A request the engine refuses to work on; the message is for the client. */
    final class RejectedRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RejectedRequestException(String message) {
            super(message, null, false, false);
        }
    }
}
