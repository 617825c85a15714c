package org.peekaboo.ruleset;

import java.util.Objects;

/**
 * A report the daemon cannot offer, and why (e.g. {@code cortexreport} while analyzers.conf
 * configures no Cortex). Given to the {@link RulesetLoader} in place of the report's source, it
 * makes every rule and expression that needs the report a start-up error carrying this
 * reason, while a ruleset that does not need it loads.
 *
 * @param name   the report's identifier, e.g. {@code cortexreport}
 * @param reason what is missing and how to configure it, for the operator
 */
public record UnavailableReport(String name, String reason) implements ReportSource<Void> {
    public UnavailableReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    /** Never asked: the loader refuses every rule that would ask. */
    @Override
    public Void compute(SampleContext context) {
        throw new IllegalStateException(name + " is not available: " + reason);
    }
}
