package org.peekaboo.ruleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * {@code bad} when a configured regular expression is found (searched, case-sensitively) in
 * the description of a signature the sandbox matched; the reason lists those descriptions.
 */
public record CuckooEvilSigRule(ReportSource<? extends BehaviouralReport> sandbox, List<Pattern> signatures)
        implements Rule {
    public static final String NAME = "cuckoo_evil_sig";

    public CuckooEvilSigRule {
        Objects.requireNonNull(sandbox, "sandbox");
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException(NAME + " needs at least one signature expression");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        List<String> recognized = new ArrayList<>();
        for (String description : context.report(sandbox).signatureDescriptions()) {
            if (signatures.stream().anyMatch(signature -> signature.matcher(description).find())) {
                recognized.add(description);
            }
        }
        if (recognized.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "No signature suggesting malicious behaviour recognized");
        }
        return RuleResult.stop(NAME, Result.BAD,
                "The following signatures have been recognized: " + String.join(", ", recognized));
    }
}
