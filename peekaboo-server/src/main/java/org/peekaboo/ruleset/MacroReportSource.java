package org.peekaboo.ruleset;

import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The macro analysis the Office rules read, taken from the {@code olereport} the loader was
 * given. Going through that source, rather than a second analysis, means the rules and the
 * expressions that name {@code olereport} share one analysis per sample: the
 * {@link SampleContext} caches the parent's report. A document that can never be analysed
 * becomes an {@link UndecidableMacroReport}, cached like any report, so that it is warned about
 * once however many Office rules read it.
 */
public record MacroReportSource(ReportSource<?> parent) implements ReportSource<MacroReport> {
    private static final Logger LOG = LoggerFactory.getLogger(MacroReportSource.class);

    public MacroReportSource {
        Objects.requireNonNull(parent, "parent");
    }

    @Override
    public String name() {
        return parent.name();
    }

    @Override
    public MacroReport compute(SampleContext context) throws Exception {
        Object computed;
        try {
            computed = context.report(parent);
        } catch (UndecidableDocumentException e) {
            return undecidable(context, e);
        }
        if (!(computed instanceof MacroReport report)) {
            throw new IllegalStateException(parent.name() + " is not an analysis of Office macros");
        }
        return report;
    }

    /**
     * The report {@code source} computes for the sample, an {@link UndecidableMacroReport} for a
     * document that can never be analysed: what the Office rules read, whichever source they were given.
     */
    static MacroReport read(SampleContext context, ReportSource<? extends MacroReport> source) throws Exception {
        try {
            return context.report(source);
        } catch (UndecidableDocumentException e) {
            return undecidable(context, e);
        }
    }

    private static MacroReport undecidable(SampleContext context, UndecidableDocumentException e) {
        // One line: the reason is the message; the library's trace only helps a developer.
        LOG.warn("The Office document {} (sha256 {}) cannot be analysed ({}): {}", context.sample().declaredPath(),
                context.sample().sha256(), e.kind().name().toLowerCase(Locale.ROOT), e.getMessage());
        LOG.debug("Why the Office document {} cannot be analysed", context.sample().sha256(), e);
        return new UndecidableMacroReport(e);
    }
}
