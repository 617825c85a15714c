package org.peekaboo.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.peekaboo.ruleset.KnownResults;
import org.peekaboo.ruleset.OutageFailure;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * Where every analysis is recorded. Implementations are blocking and thread-safe; they
 * are called from worker threads only, never from an event loop. Every method may throw
 * {@link StoreException}; callers turn that into an undecided sample, never a pass.
 */
public interface AnalysisStore extends KnownResults, AutoCloseable {

    /** Records that the analysis of {@code sample} starts; returns the new job id. */
    long begin(Sample sample, Instant startedAt);

    /** Records the outcome of job {@code jobId}. */
    void finish(long jobId, SampleVerdict verdict, Instant finishedAt);

    /**
     * Records an analysis that was decided at once (answered from an earlier result) as
     * finished, in one statement instead of {@link #begin} and {@link #finish}; returns its job id.
     */
    long record(Sample sample, SampleVerdict verdict, Instant startedAt, Instant finishedAt);

    /** One analysis by job id. */
    Optional<StoredAnalysis> find(long jobId);

    @Override
    void close();

    /** The lifecycle of one analysis row. */
    enum State { RUNNING, FINISHED }

    /** An analysis as stored. {@code finishedAt} is null while running. */
    record StoredAnalysis(long jobId, String identity, String sha256, long fileSize, String nameDeclared,
                          String typeDeclared, String contentDisposition, State state, Result result,
                          String reason, List<RuleResult> report, String instanceId,
                          Instant createdAt, Instant finishedAt) {
        public StoredAnalysis {
            report = List.copyOf(report);
        }
    }

    /** The store could not do what was asked; the message says what and why. */
    final class StoreException extends RuntimeException implements OutageFailure {
        private static final long serialVersionUID = 1L;

        private final boolean unreachable;

        public StoreException(String message, Throwable cause) {
            this(message, cause, false);
        }

        /**
         * @param unreachable the database could not be reached at all; the store reports such an
         *                    outage once, so callers need not log it for every sample it fails
         */
        public StoreException(String message, Throwable cause, boolean unreachable) {
            super(message, cause);
            this.unreachable = unreachable;
        }

        public boolean unreachable() {
            return unreachable;
        }

        @Override
        public boolean reportedAsOutage() {
            return unreachable;
        }
    }
}
