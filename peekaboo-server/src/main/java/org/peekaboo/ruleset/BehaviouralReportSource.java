package org.peekaboo.ruleset;

import java.util.Objects;

/**
 * The sandbox report the sandbox rules read, taken from an attribute of another report:
 * {@code cortexreport.CuckooSandboxFileReport} or {@code cortexreport.CAPEv2FileReport}.
 * Going through the parent report means the rules and the expressions that name the same
 * analyzer share one job per sample.
 */
public record BehaviouralReportSource(ReportSource<?> parent, String attribute)
        implements ReportSource<BehaviouralReport> {

    public BehaviouralReportSource {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(attribute, "attribute");
    }

    @Override
    public String name() {
        return parent.name() + "." + attribute;
    }

    @Override
    public BehaviouralReport compute(SampleContext context) throws Exception {
        if (!(context.report(parent) instanceof ReportObject report)) {
            throw new IllegalStateException(parent.name() + " has no attributes");
        }
        if (!(report.attribute(attribute) instanceof BehaviouralReport sandbox)) {
            throw new IllegalStateException(name() + " is not the report of a sandbox");
        }
        return sandbox;
    }
}
