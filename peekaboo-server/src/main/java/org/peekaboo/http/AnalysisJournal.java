package org.peekaboo.http;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.peekaboo.verdict.RuleResult;

/**
 * The analyses as the postmaster reads them: the latest ones, those of one sample or one job,
 * and how many ended with which result and rule over a while. Read-only; every instance of a
 * cluster sees every instance's analyses. The store implements it.
 */
public interface AnalysisJournal {
    /** Analyses counted at most per period: the counts of a day on a gateway that is busy beyond that are cut. */
    int MAX_COUNTED = 200_000;

    /**
     * One analysis.
     *
     * @param name     the declared name; for a member of a container its chain, {@code mail.eml/invoice.zip/x.doc}
     * @param report   the per-rule results in the order the rules ran; empty while running or when unreadable
     * @param rule     the rule that decided (the last in the report), or null
     */
    record Entry(long jobId, Instant created, Instant finished, String name, String type, String sha256,
                 long size, String state, String result, String reason, List<RuleResult> report,
                 String rule, String instance) {
        public Entry {
            report = List.copyOf(report);
        }

        /** The containers around this file, outermost first, then the file itself. */
        public List<String> chain() {
            return name == null ? List.of() : List.of(name.split("/"));
        }
    }

    /**
     * How many analyses finished with each result and deciding rule since a time.
     *
     * @param byResult counts per result label
     * @param byRule   counts per deciding rule
     * @param cut      whether more than {@link #MAX_COUNTED} finished since the earliest start and only the
 *                 latest that many were counted
     */
    record Counts(Map<String, Long> byResult, Map<String, Long> byRule, boolean cut) {
        public Counts {
            byResult = Map.copyOf(byResult);
            byRule = Map.copyOf(byRule);
        }
    }

    /** The latest {@code limit} analyses, newest first. */
    List<Entry> latest(int limit);

    /** Every analysis of the sample with this SHA-256 (any case), newest first, at most {@code limit}. */
    List<Entry> ofSha256(String sha256, int limit);

    /** The analysis with this job id, if there is one. */
    List<Entry> ofJob(long jobId);

    /**
     * What the analyses that finished at or after each of {@code starts} ended with, one
     * {@link Counts} per start in the same order, read in one pass from the earliest.
     */
    List<Counts> finishedSince(List<Instant> starts);
}
