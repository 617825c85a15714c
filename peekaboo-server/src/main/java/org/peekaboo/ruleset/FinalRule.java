package org.peekaboo.ruleset;

import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/** Closes the ruleset with {@code unknown} for a sample no earlier rule had anything against. */
public record FinalRule() implements Rule {
    public static final String NAME = "final_rule";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        return RuleResult.proceed(NAME, Result.UNKNOWN,
                "File does not seem to exhibit recognizable malicious behaviour");
    }
}
