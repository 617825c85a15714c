package org.peekaboo.ruleset;

import java.util.Objects;
import java.util.Optional;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.sample.Result;

/**
 * Answers a sample seen before with the worst result it got then, so a mail that is
 * retried after a tempfail is decided at once. The analysis running right now is left
 * out, and failed analyses never count (see {@link KnownResults}).
 */
public record KnownRule(KnownResults known) implements Rule {
    public static final String NAME = "known";

    public KnownRule {
        Objects.requireNonNull(known, "known");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        Optional<StoredResult> earlier = known.worstFinished(context.sample().identity(), context.jobId());
        if (earlier.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "File is not yet known to the system");
        }
        StoredResult stored = earlier.get();
        String reason = stored.reason() != null && !stored.reason().isBlank()
                ? stored.reason()
                : "File is known to the system from analysis " + stored.jobId();
        return RuleResult.stop(NAME, stored.result(), reason);
    }
}
