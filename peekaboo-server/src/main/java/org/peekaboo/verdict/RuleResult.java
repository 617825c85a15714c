package org.peekaboo.verdict;

import java.util.Objects;

/**
 * What one rule said about one sample.
 *
 * @param rule             the rule's configuration name, e.g. {@code file_larger_than}
 * @param result           its result
 * @param reason           a sentence for people (English)
 * @param furtherAnalysis  false stops the ruleset after this rule
 */
public record RuleResult(String rule, Result result, String reason, boolean furtherAnalysis) {
    public RuleResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
    }

    public static RuleResult proceed(String rule, Result result, String reason) {
        return new RuleResult(rule, result, reason, true);
    }

    public static RuleResult stop(String rule, Result result, String reason) {
        return new RuleResult(rule, result, reason, false);
    }
}
