package org.peekaboo.ruleset.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.verdict.RuleResult;

/** A rule that always says the same thing and counts how often it was asked. */
public final class FixedRule implements Rule {
    private final RuleResult answer;
    private final AtomicInteger evaluations = new AtomicInteger();

    public FixedRule(RuleResult answer) {
        this.answer = answer;
    }

    @Override
    public String name() {
        return answer.rule();
    }

    public int evaluations() {
        return evaluations.get();
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        evaluations.incrementAndGet();
        return answer;
    }
}
