package org.peekaboo.ruleset;

import java.util.List;
import java.util.Objects;
import org.peekaboo.sample.Result;

/**
 * The outcome of judging one sample: the worst rule result, the reason and rule that
 * gave it, and every rule result in the order the rules ran.
 *
 * @param result   worst result of the rules that ran
 * @param rule     the rule that decided (the later one on ties), or a pseudo rule such
 *                 as {@code deadline} or {@code overload} when no rule decided
 * @param reason   that rule's reason
 * @param report   all rule results in order
 * @param jobId    the stored analysis this verdict belongs to, or 0 when none was stored
 */
public record SampleVerdict(Result result, String rule, String reason, List<RuleResult> report, long jobId) {
    public SampleVerdict {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        report = List.copyOf(report);
    }

    /** A verdict for a sample that could not be decided (yet), without rule results. */
    public static SampleVerdict undecided(Result result, String rule, String reason) {
        return new SampleVerdict(result, rule, reason, List.of(), 0);
    }

    /** Folds rule results the way PeekabooAV does: worst result wins, ties go to the later rule. */
    public static SampleVerdict of(List<RuleResult> report, long jobId) {
        Result result = Result.UNCHECKED;
        String rule = "none";
        String reason = "No rule has decided";
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
}
