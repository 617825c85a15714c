package org.peekaboo.ruleset;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.peekaboo.verdict.Result;

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

    /**
     * What the finished analyses of {@code identity} that {@link #worstFinished} would
     * consider add up to, for {@code knownreport}; empty if there are none. A store that
     * cannot tell throws, which fails the rule that asked (never a pass).
     */
    default Optional<History> history(String identity, long excludingJobId) {
        throw new UnsupportedOperationException("this result store keeps no history of analyses");
    }

    /**
     * @param first       when the first of the analyses finished
     * @param last        when the most recent one finished
     * @param lastResult  the most recent one's result (the worse one if two finished at once)
     * @param worstResult the worst result among them
     */
    record History(Instant first, Instant last, Result lastResult, Result worstResult) {

        /** The history of these finished analyses (already filtered as the store would), or empty. */
        public static Optional<History> of(Collection<StoredResult> analyses) {
            History history = null;
            for (StoredResult analysis : analyses) {
                history = history == null
                        ? new History(analysis.finishedAt(), analysis.finishedAt(), analysis.result(), analysis.result())
                        : history.with(analysis.result(), analysis.finishedAt(), analysis.finishedAt());
            }
            return Optional.ofNullable(history);
        }

        /** This history and analyses with {@code result} that finished between {@code first} and {@code last}. */
        public History with(Result result, Instant first, Instant last) {
            boolean newer = last.isAfter(this.last) || last.equals(this.last) && result.isWorseThan(lastResult);
            return new History(first.isBefore(this.first) ? first : this.first, newer ? last : this.last,
                    newer ? result : lastResult, Result.worst(result, worstResult));
        }
    }

    /** A finished analysis as the store remembers it. */
    record StoredResult(long jobId, Result result, String reason, Instant finishedAt) {
    }
}
