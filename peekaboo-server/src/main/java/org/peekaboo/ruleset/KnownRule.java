package org.peekaboo.ruleset;

import java.util.Objects;
import java.util.Optional;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Answers a sample seen before with the worst result it got then, so a mail that is
 * retried after a tempfail is decided at once. The analysis running right now is left
 * out, and failed analyses never count (see {@link KnownResults}). The look-up is asked once
 * per {@link SampleContext}: the engine may ask before it locks the sample, and the run that
 * follows reuses that answer.
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
    public boolean readsOnlyEarlierResults() {
        return true;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        Optional<StoredResult> earlier = context.report(new Lookup(known));
        if (earlier.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "File is not yet known to the system");
        }
        StoredResult stored = earlier.get();
        String reason = stored.reason() != null && !stored.reason().isBlank()
                ? stored.reason()
                : "File is known to the system from analysis " + stored.jobId();
        return RuleResult.stop(NAME, stored.result(), reason);
    }

    /** The worst usable earlier result of the sample; a record, so that every look-up of one store is one cache key. */
    private record Lookup(KnownResults known) implements ReportSource<Optional<StoredResult>> {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Optional<StoredResult> compute(SampleContext context) {
            return known.worstFinished(context.sample().identity(), context.jobIdSoFar());
        }
    }
}
