package org.peekaboo.ruleset;

import org.peekaboo.verdict.RuleResult;

/**
 * One step of the ruleset. Rules are shared by all workers and must be stateless;
 * anything they learn about a sample belongs in the {@link SampleContext}.
 */
public interface Rule {
    /** The configuration name, e.g. {@code file_larger_than}. */
    String name();

    /**
     * Judges the sample. Throwing is allowed and safe: the engine turns any exception
     * into a {@code failed} result that stops the ruleset.
     */
    RuleResult evaluate(SampleContext context) throws Exception;

    /**
     * Whether this rule only reads the results of earlier, finished analyses. Such rules at the
     * start of a ruleset may decide a sample before its lock is taken and its analysis begins.
     */
    default boolean readsOnlyEarlierResults() {
        return false;
    }
}
