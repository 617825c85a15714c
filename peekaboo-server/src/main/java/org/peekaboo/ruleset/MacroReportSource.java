package org.peekaboo.ruleset;

import java.util.Objects;

/**
 * The macro analysis the Office rules read, taken from the {@code olereport} the loader was
 * given. Going through that source, rather than a second analysis, means the rules and the
 * expressions that name {@code olereport} share one analysis per sample: the
 * {@link SampleContext} caches the parent's report.
 */
public record MacroReportSource(ReportSource<?> parent) implements ReportSource<MacroReport> {

    public MacroReportSource {
        Objects.requireNonNull(parent, "parent");
    }

    @Override
    public String name() {
        return parent.name();
    }

    @Override
    public MacroReport compute(SampleContext context) throws Exception {
        if (!(context.report(parent) instanceof MacroReport report)) {
            throw new IllegalStateException(parent.name() + " is not an analysis of Office macros");
        }
        return report;
    }
}
