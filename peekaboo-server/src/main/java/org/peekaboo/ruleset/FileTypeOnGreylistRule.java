package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Lets only samples of a type worth analysing go on to the (expensive) later rules. A
 * sample none of whose types is on the list stops here with {@code unknown}, which mail
 * gateways treat as a pass; a sample without any type goes on, because nothing is known
 * about it.
 */
public record FileTypeOnGreylistRule(Set<String> greylist) implements Rule {
    public static final String NAME = "file_type_on_greylist";

    public FileTypeOnGreylistRule {
        greylist = DeclaredAndDetectedTypes.normalisedList(greylist, NAME + ".greylist");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        Set<String> types = DeclaredAndDetectedTypes.of(context);
        if (types.isEmpty() || !Collections.disjoint(types, greylist)) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "File type is on the list of types to analyze");
        }
        return RuleResult.stop(NAME, Result.UNKNOWN,
                "File type is not on the list of types to analyse (" + DeclaredAndDetectedTypes.describe(types) + ")");
    }
}
