package org.peekaboo.office;

import java.io.IOException;
import java.util.Objects;
import org.peekaboo.ruleset.ReportShape;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.SampleContext;

/**
 * The {@code olereport} for a sample. A record so that two sources with the same analyzer
 * are one cache key in the {@link SampleContext}: the Office rules and the expressions
 * share one analysis per sample.
 */
public record OleReportSource(MacroAnalyzer analyzer) implements ReportSource<OleReport> {
    public OleReportSource {
        Objects.requireNonNull(analyzer, "analyzer");
    }

    @Override
    public String name() {
        return OleReport.NAME;
    }

    @Override
    public OleReport compute(SampleContext context) throws IOException {
        return analyzer.analyze(context.sample().file());
    }

    @Override
    public ReportShape shape() {
        return ReportShape.reportOf(OleReport.ATTRIBUTES);
    }
}
