package org.peekaboo.ruleset;

import java.util.Objects;
import org.peekaboo.sample.Result;

/**
 * Holds the place of a PeekabooAV rule this version cannot evaluate yet. Skipping such a
 * rule would let through what an administrator configured it to catch, so every sample
 * reaching it ends {@code failed} (answered unchecked) instead.
 */
public record UnimplementedRule(String name) implements Rule {
    public UnimplementedRule {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        return RuleResult.stop(name, Result.FAILED, "Rule " + name + " is not implemented in this version of Peekaboo");
    }
}
