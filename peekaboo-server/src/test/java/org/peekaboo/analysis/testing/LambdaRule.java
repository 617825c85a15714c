package org.peekaboo.analysis.testing;

import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.verdict.RuleResult;

/** A rule whose judgement a test writes inline, e.g. to block, count or fail on purpose. */
public record LambdaRule(String name, Evaluation evaluation) implements Rule {

    /** What the rule does with a sample. */
    @FunctionalInterface
    public interface Evaluation {
        RuleResult evaluate(SampleContext context) throws Exception;
    }

    public static Rule rule(String name, Evaluation evaluation) {
        return new LambdaRule(name, evaluation);
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        return evaluation.evaluate(context);
    }
}
