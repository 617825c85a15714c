package org.peekaboo.verdict;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of judging one sample: the worst rule result, the reason and rule that
 * gave it, and every rule result in the order the rules ran.
 *
 * @param result   worst result of the rules that ran
 * @param rule     the rule that decided (the later one on ties), or the pseudo rule of an
 *                 {@link Undecided} reason when no rule decided
 * @param reason   that rule's reason
 * @param report   all rule results in order
 * @param jobId    the stored analysis this verdict belongs to, or {@link #NO_JOB} when none was stored
 */
public record SampleVerdict(Result result, String rule, String reason, List<RuleResult> report, long jobId) {
    /** The job id of a verdict that belongs to no stored analysis; the database counts from 1. */
    public static final long NO_JOB = 0;

    public SampleVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        report = List.copyOf(report);
    }

    /** Folds rule results the way PeekabooAV does: worst result wins, ties go to the later rule. */
    public static SampleVerdict of(List<RuleResult> report, long jobId) {
        Result result = Undecided.NO_RULE.result();
        String rule = Undecided.NO_RULE.rule();
        String reason = Undecided.NO_RULE.reason();
        for (RuleResult ruleResult : report) {
            if (ruleResult.result().compareTo(result) >= 0) {
                result = ruleResult.result();
                rule = ruleResult.rule();
                reason = ruleResult.reason();
            }
        }
        return new SampleVerdict(result, rule, reason, report, jobId);
    }

    public SampleVerdict withJobId(long newJobId) {
        return new SampleVerdict(result, rule, reason, report, newJobId);
    }

    /** This verdict with {@code last} appended to its report and folded in. */
    public SampleVerdict followedBy(RuleResult last) {
        List<RuleResult> longer = new java.util.ArrayList<>(report);
        longer.add(last);
        return of(longer, jobId);
    }

    /** What a mail filter is told about this sample. */
    public Verdict verdict() {
        return Verdict.of(result);
    }
}
