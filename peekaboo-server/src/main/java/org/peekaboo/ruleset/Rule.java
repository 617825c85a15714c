package org.peekaboo.ruleset;

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
}
