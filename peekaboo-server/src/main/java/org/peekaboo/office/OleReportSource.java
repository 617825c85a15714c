package org.peekaboo.office;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.ruleset.EmbeddedMacroAnalysis;
import org.peekaboo.ruleset.ReportShape;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.SampleContext;

/**
 * The {@code olereport} for a sample. The daemon's wiring makes one and hands it to the
 * ruleset loader, which gives it to the expressions and, as the parent of a
 * {@link org.peekaboo.ruleset.MacroReportSource}, to the Office rules, so that they share one
 * analysis per sample. A record so that two sources with the same analyzer are one cache key
 * in the {@link SampleContext} all the same.
 */
public record OleReportSource(MacroAnalyzer analyzer) implements ReportSource<OleReport>, EmbeddedMacroAnalysis {
    public OleReportSource {
        Objects.requireNonNull(analyzer, "analyzer");
    }

    public static OleReportSource withDefaultLimits() {
        return new OleReportSource(MacroAnalyzer.withDefaultLimits());
    }

    @Override
    public String name() {
        return OleReport.NAME;
    }

    @Override
    public OleReport compute(SampleContext context) throws IOException {
        // Every file goes through the built-in ruleset's dropper rule; most are no Office
        // containers, and their head says so without writing an in-memory content to disk.
        if (!MacroAnalyzer.mayHoldMacros(context.sample().content().head().toByteArray())) {
            return OleReport.NO_MACROS;
        }
        // A private copy: the client's file may have changed since the snapshot every other rule reads.
        Path file = context.sample().content().file();
        try {
            return analyzer.analyze(file);
        } catch (OfficeDocumentException e) {
            throw e.withoutPrefix(file.getFileName() + ": ");
        }
    }

    /** Analyses an Office document embedded in the sample (an OLE object of an RTF document). */
    @Override
    public Optional<OleReport> analyze(Path file) throws IOException {
        return Optional.of(analyzer.analyze(file));
    }

    @Override
    public ReportShape shape() {
        return ReportShape.reportOf(OleReport.ATTRIBUTES);
    }
}
