package org.peekaboo.ruleset.testing;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.ruleset.BehaviouralReport;

/** A sandbox that reports what the test says, or fails to report at all. */
public final class FakeSandbox implements ReportSource<BehaviouralReport> {
    private final Report report;
    private final String failure;
    private final AtomicInteger runs = new AtomicInteger();

    private FakeSandbox(Report report, String failure) {
        this.report = report;
        this.failure = failure;
    }

    public static FakeSandbox reporting(Report report) {
        return new FakeSandbox(report, null);
    }

    public static FakeSandbox failing(String why) {
        return new FakeSandbox(null, why);
    }

    public int runs() {
        return runs.get();
    }

    @Override
    public String name() {
        return "sandboxreport";
    }

    @Override
    public BehaviouralReport compute(SampleContext context) throws IOException {
        runs.incrementAndGet();
        if (failure != null) {
            throw new IOException(failure);
        }
        return report;
    }

    /**
     * A sandbox's findings, also readable by attribute like the sandbox reports of
     * {@code cortexreport} ({@code malscore} −1 without a score, {@code signatures},
     * {@code domains}), so that one fake serves the sandbox rules and expressions.
     */
    public record Report(OptionalDouble score, List<String> signatureDescriptions, List<String> requestedDomains,
                         List<String> messages) implements BehaviouralReport, ReportObject {
        private static final Set<String> ATTRIBUTES = Collections.unmodifiableSequencedSet(
                new LinkedHashSet<>(List.of("malscore", "signatures", "domains")));

        public static Report clean() {
            return new Report(OptionalDouble.of(0.5), List.of(), List.of(), List.of());
        }

        public Report withScore(double newScore) {
            return new Report(OptionalDouble.of(newScore), signatureDescriptions, requestedDomains, messages);
        }

        public Report withoutScore() {
            return new Report(OptionalDouble.empty(), signatureDescriptions, requestedDomains, messages);
        }

        public Report withSignatures(String... descriptions) {
            return new Report(score, List.of(descriptions), requestedDomains, messages);
        }

        public Report withDomains(String... domains) {
            return new Report(score, signatureDescriptions, List.of(domains), messages);
        }

        public Report withMessages(String... newMessages) {
            return new Report(score, signatureDescriptions, requestedDomains, List.of(newMessages));
        }

        @Override
        public Set<String> attributeNames() {
            return ATTRIBUTES;
        }

        @Override
        public Object attribute(String name) throws UnknownAttributeException {
            return switch (name) {
                case "malscore" -> score.orElse(-1.0);
                case "signatures" -> signatureDescriptions;
                case "domains" -> requestedDomains;
                default -> throw new UnknownAttributeException("sandbox report", name);
            };
        }
    }
}
