package org.peekaboo.office;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.peekaboo.ruleset.MacroReport;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.RulesetLoader;

/**
 * What the macro analysis found in one file: the {@code olereport} of expressions and, as a
 * {@link MacroReport}, what the Office rules read.
 *
 * @param hasOfficeMacros   a VBA project or an Excel 4 (XLM) macro sheet was found
 * @param vbaCode           the source of every VBA module, joined by newlines; empty without VBA
 * @param detectedAutoexec  the auto-run triggers found, each {@code "keyword: description"}
 * @param detectedSuspicious the suspicious keywords found, each {@code "keyword: description"}
 */
public record OleReport(boolean hasOfficeMacros, String vbaCode, List<String> detectedAutoexec,
                        List<String> detectedSuspicious) implements ReportObject, MacroReport {
    public static final String NAME = RulesetLoader.OLE_REPORT;

    /** The report for a file without macros (also for files that are no Office documents). */
    public static final OleReport NO_MACROS = new OleReport(false, "", List.of(), List.of());

    // Ordered, so that a start-up error lists the attributes as the documentation does.
    static final Set<String> ATTRIBUTES = Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(
            "has_office_macros", "vba_code", "has_autoexec", "is_suspicious", "detected_autoexec",
            "detected_suspicious")));

    public OleReport {
        Objects.requireNonNull(vbaCode, "vbaCode");
        detectedAutoexec = List.copyOf(detectedAutoexec);
        detectedSuspicious = List.copyOf(detectedSuspicious);
    }

    public boolean hasAutoexec() {
        return !detectedAutoexec.isEmpty();
    }

    public boolean isSuspicious() {
        return !detectedSuspicious.isEmpty();
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        return switch (name) {
            case "has_office_macros" -> hasOfficeMacros;
            case "vba_code" -> vbaCode;
            case "has_autoexec" -> hasAutoexec();
            case "is_suspicious" -> isSuspicious();
            case "detected_autoexec" -> detectedAutoexec;
            case "detected_suspicious" -> detectedSuspicious;
            default -> throw new UnknownAttributeException(NAME, name);
        };
    }
}
