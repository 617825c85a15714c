package org.peekaboo.ruleset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The macro analysis of a document carried inside the sample rather than of the sample itself:
 * an Office document embedded as an OLE object in an RTF document. The ruleset owns this view,
 * like {@link MacroReport}, so that it need not know who analyses Office documents; the
 * {@code olereport} source the loader is given offers it.
 */
@FunctionalInterface
public interface EmbeddedMacroAnalysis {
    /** No analysis: embedded documents are not looked into. */
    EmbeddedMacroAnalysis NONE = file -> Optional.empty();

    /**
     * The macros of the document in {@code file}; empty when there is no analysis.
     *
     * @throws IOException when the document cannot be read, or is no Office document
     *                     the analysis can judge
     */
    Optional<? extends MacroReport> analyze(Path file) throws IOException;

    /**
     * The analysis the {@code olereport} source {@code source} offers, if any: what the Office
     * rules read. {@link #NONE} for a source without one, or none ({@code null}).
     */
    static EmbeddedMacroAnalysis of(ReportSource<?> source) {
        if (source instanceof MacroReportSource macros) {
            return of(macros.parent());
        }
        return source instanceof EmbeddedMacroAnalysis analysis ? analysis : NONE;
    }
}
