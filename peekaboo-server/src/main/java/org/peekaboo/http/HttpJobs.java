package org.peekaboo.http;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Where REST jobs live: in the database every instance shares, so that a report may be asked of
 * any of them. Every method blocks; front ends call them off the event loops.
 */
public interface HttpJobs {

    /** Records a new running job and returns its id, unique across the cluster. */
    long create();

    /** Records the outcome of a job this instance accepted. */
    void finish(long jobId, Report report);

    /** The finished job's outcome; empty while it runs and for ids nobody handed out. */
    Optional<Report> report(long jobId);

    /** Throws when the database cannot be used right now. */
    void check();

    /**
     * What {@code GET /v1/report} tells about a finished job.
     *
     * @param rules every rule result in the order the rules ran
     */
    record Report(Result result, String reason, List<RuleResult> rules) {
        public Report {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(reason, "reason");
            rules = List.copyOf(rules);
        }
    }
}
