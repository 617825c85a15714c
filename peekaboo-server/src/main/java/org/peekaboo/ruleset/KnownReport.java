package org.peekaboo.ruleset;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.peekaboo.ruleset.KnownResults.History;
import org.peekaboo.verdict.Result;

/**
 * Earlier analyses of the same sample identity as expressions see them
 * ({@code knownreport.known and knownreport.first < 14 -> knownreport.worst_result}).
 * The same analyses count as for the {@code known} rule: finished, neither failed nor
 * unchecked, not the running one, and not older than the result max age.
 *
 * @param known       whether there is such an analysis
 * @param lastResult  the result of the most recently finished one; {@code unknown} if none
 * @param worstResult the worst of their results; {@code unknown} if none
 * @param first       whole days since the first of them finished; 0 if none
 * @param last        whole days since the most recent of them finished; 0 if none
 */
public record KnownReport(boolean known, Result lastResult, Result worstResult, long first, long last)
        implements ReportObject {
    public static final String NAME = "knownreport";

    private static final AttributeTable<KnownReport> ATTRIBUTES = AttributeTable.<KnownReport>builder(NAME)
            .with("known", KnownReport::known)
            .with("last_result", KnownReport::lastResult)
            .with("result", KnownReport::lastResult)
            .with("worst_result", KnownReport::worstResult)
            .with("first", KnownReport::first)
            .with("last", KnownReport::last)
            .build();

    public KnownReport {
        Objects.requireNonNull(lastResult, "lastResult");
        Objects.requireNonNull(worstResult, "worstResult");
    }

    /** The report for {@code history} as seen at {@code now}. */
    public static KnownReport of(Optional<History> history, Instant now) {
        return history.map(h -> new KnownReport(true, h.lastResult(), h.worstResult(), daysBetween(h.first(), now),
                        daysBetween(h.last(), now)))
                .orElseGet(() -> new KnownReport(false, Result.UNKNOWN, Result.UNKNOWN, 0, 0));
    }

    /** Whole days, never negative: a clock stepping back between instances must not make ages negative. */
    private static long daysBetween(Instant then, Instant now) {
        return Math.max(0, Duration.between(then, now).toDays());
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES.names();
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return ATTRIBUTES.get(this, name);
    }

    /** The {@code knownreport} identifier; asks the store once per sample. */
    public record Source(KnownResults results, Clock clock) implements ReportSource<KnownReport> {
        public Source {
            Objects.requireNonNull(results, "results");
            Objects.requireNonNull(clock, "clock");
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public KnownReport compute(SampleContext context) {
            return of(results.history(context.sample().identity(), context.jobIdSoFar()), clock.instant());
        }

        @Override
        public ReportShape shape() {
            return ATTRIBUTES.shape();
        }
    }
}
