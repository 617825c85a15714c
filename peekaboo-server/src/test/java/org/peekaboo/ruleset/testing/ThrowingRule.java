package org.peekaboo.ruleset.testing;

import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.verdict.RuleResult;

/** A rule that breaks the way a buggy or overwhelmed rule would. */
public record ThrowingRule(String name, Exception failure) implements Rule {
    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        throw failure;
    }
}
