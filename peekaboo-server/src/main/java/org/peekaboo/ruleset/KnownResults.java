package org.peekaboo.ruleset;

import java.time.Instant;
import java.util.Optional;
import org.peekaboo.sample.Result;

/** Earlier, finished analyses of the same sample identity (the result cache). */
public interface KnownResults {

    /**
     * The worst finished analysis of {@code identity}, ignoring {@code failed} and
     * {@code unchecked} results (they say nothing about the sample, and reusing them would
     * hold it back for ever), unfinished analyses, the analysis {@code excludingJobId} and
     * analyses that finished longer ago than the store's result max age (the rules and
     * analyzers have improved since; {@code [db] result_max_age}).
     */
    Optional<StoredResult> worstFinished(String identity, long excludingJobId);

    /** A finished analysis as the store remembers it. */
    record StoredResult(long jobId, Result result, String reason, Instant finishedAt) {
    }
}
