package org.peekaboo.ruleset;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * {@code bad} when the sample contacted a listed domain in the sandbox. DNS names compare
 * without regard to case or a trailing dot (PeekabooAV compared the strings exactly, so
 * {@code Evil.example.} slipped past a list naming {@code evil.example}).
 */
public record RequestsEvilDomainRule(ReportSource<? extends BehaviouralReport> sandbox, Set<String> domains)
        implements Rule {
    public static final String NAME = "requests_evil_domain";

    public RequestsEvilDomainRule {
        Objects.requireNonNull(sandbox, "sandbox");
        domains = domains.stream().map(RequestsEvilDomainRule::normalized).collect(Collectors.toUnmodifiableSet());
        if (domains.isEmpty()) {
            throw new IllegalArgumentException(NAME + " needs at least one domain");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        List<String> contacted = context.report(sandbox).requestedDomains().stream()
                .filter(domain -> domains.contains(normalized(domain)))
                .distinct()
                .toList();
        if (contacted.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file contacts no domain on the blacklist");
        }
        return RuleResult.stop(NAME, Result.BAD, "The file attempts to contact at least one domain on the blacklist ("
                + String.join(", ", contacted) + ")");
    }

    private static String normalized(String domain) {
        String lower = domain.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
