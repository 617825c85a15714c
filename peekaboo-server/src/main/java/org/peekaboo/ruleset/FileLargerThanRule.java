package org.peekaboo.ruleset;

import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Waves tiny files through: a file of at most {@code bytes} bytes cannot carry anything
 * worth analysing, so it is {@code ignored} and the ruleset stops.
 */
public record FileLargerThanRule(long bytes) implements Rule {
    public static final String NAME = "file_larger_than";
    public static final long DEFAULT_BYTES = 5;

    public FileLargerThanRule {
        if (bytes < 0) {
            throw new IllegalArgumentException(NAME + ".bytes must not be negative, got " + bytes);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        long size = context.sample().size();
        if (size > bytes) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "File has more than " + bytes + " bytes");
        }
        return RuleResult.stop(NAME, Result.IGNORED, "File is only " + size + " bytes long");
    }
}
