package org.peekaboo.ruleset;

import java.util.Objects;
import java.util.OptionalDouble;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * {@code bad} when the sandbox's score reaches {@code higherThan}. The option keeps
 * PeekabooAV's name, and its meaning: a score equal to the threshold counts too. A report
 * without a score decides nothing here; {@code cuckoo_analysis_failed} judges broken runs.
 */
public record CuckooScoreRule(ReportSource<? extends BehaviouralReport> sandbox, double higherThan) implements Rule {
    public static final String NAME = "cuckoo_score";

    public CuckooScoreRule {
        Objects.requireNonNull(sandbox, "sandbox");
        if (!Double.isFinite(higherThan)) {
            throw new IllegalArgumentException(NAME + ".higher_than must be a number, got " + higherThan);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        OptionalDouble score = context.report(sandbox).score();
        if (score.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The sandbox gave no score");
        }
        if (score.getAsDouble() >= higherThan) {
            return RuleResult.stop(NAME, Result.BAD, "Sandbox score >= " + higherThan + ": " + score.getAsDouble());
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "Sandbox score < " + higherThan + ": " + score.getAsDouble());
    }
}
