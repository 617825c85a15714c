package org.peekaboo.ruleset;

import java.time.Instant;
import java.util.Optional;
import org.peekaboo.sample.Result;

/** Earlier, finished analyses of the same sample identity (the result cache). */
public interface KnownResults {

    /**
     * The worst finished analysis of {@code identity}, ignoring {@code failed} and
     * {@code unchecked} results (they say nothing about the sample, and reusing them would
     * hold it back for ever), unfinished analyses and the analysis {@code excludingJobId}.
     */
    Optional<StoredResult> worstFinished(String identity, long excludingJobId);

    /** A finished analysis as the store remembers it. */
    record StoredResult(long jobId, Result result, String reason, Instant finishedAt) {
    }
}
