package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.Set;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Ignores a sample all of whose types (detected and declared) are harmless. A sample
 * without any type is not whitelisted: nothing vouches for it.
 */
public record FileTypeOnWhitelistRule(Set<String> whitelist) implements Rule {
    public static final String NAME = "file_type_on_whitelist";

    public FileTypeOnWhitelistRule {
        whitelist = DeclaredAndDetectedTypes.normalisedList(whitelist, NAME + ".whitelist");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        Set<String> types = DeclaredAndDetectedTypes.of(context);
        if (!types.isEmpty() && whitelist.containsAll(types)) {
            return RuleResult.stop(NAME, Result.IGNORED, "File type is on whitelist");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "File type is not on whitelist");
    }
}
