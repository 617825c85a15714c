package org.peekaboo.office;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.peekaboo.ruleset.MacroBehaviour;
import org.peekaboo.ruleset.MacroReport;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.RulesetLoader;

/**
 * What the macro analysis found in one file: the {@code olereport} of expressions and, as a
 * {@link MacroReport}, what the Office rules read.
 *
 * @param hasOfficeMacros    a VBA project or an Excel 4 (XLM) macro sheet was found
 * @param hasMacroCode       a VBA module holds code: more than the {@code Attribute} and
 *                           {@code Option} lines, comments and blank lines Office writes itself
 * @param hasXlmMacros       an Excel 4 macro sheet was found
 * @param vbaCode            the source of every VBA module, joined by newlines; empty without VBA
 * @param xlmCode            the formulas of every Excel 4 macro sheet, joined by newlines
 * @param detectedAutoexec   the auto-run triggers found, each {@code "name: description"}
 * @param detectedSuspicious the suspicious keywords and indicators found, each {@code "name: description"}
 * @param detectedBehaviour  the indicators found, by behaviour, each {@code "name: description"}
 */
public record OleReport(boolean hasOfficeMacros, boolean hasMacroCode, boolean hasXlmMacros, String vbaCode,
                        String xlmCode, List<String> detectedAutoexec, List<String> detectedSuspicious,
                        Map<MacroBehaviour, List<String>> detectedBehaviour) implements ReportObject, MacroReport {
    public static final String NAME = RulesetLoader.OLE_REPORT;

    /** The report for a file without macros (also for files that are no Office documents). */
    public static final OleReport NO_MACROS = new OleReport(false, false, false, "", "", List.of(), List.of(), Map.of());

    // Ordered, so that a start-up error lists the attributes as the documentation does.
    static final Set<String> ATTRIBUTES = attributes();

    public OleReport {
        Objects.requireNonNull(vbaCode, "vbaCode");
        Objects.requireNonNull(xlmCode, "xlmCode");
        detectedAutoexec = List.copyOf(detectedAutoexec);
        detectedSuspicious = List.copyOf(detectedSuspicious);
        Map<MacroBehaviour, List<String>> behaviour = new EnumMap<>(MacroBehaviour.class);
        for (MacroBehaviour kind : MacroBehaviour.values()) {
            behaviour.put(kind, List.copyOf(detectedBehaviour.getOrDefault(kind, List.of())));
        }
        detectedBehaviour = Collections.unmodifiableMap(behaviour);
    }

    public boolean hasAutoexec() {
        return !detectedAutoexec.isEmpty();
    }

    public boolean isSuspicious() {
        return !detectedSuspicious.isEmpty();
    }

    @Override
    public List<String> autoexecTriggers() {
        return names(detectedAutoexec);
    }

    @Override
    public List<String> indicators(MacroBehaviour behaviour) {
        return names(detectedBehaviour.get(behaviour));
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws UnknownAttributeException {
        for (MacroBehaviour behaviour : MacroBehaviour.values()) {
            if (behaviour.attribute().equals(name)) {
                return detectedBehaviour.get(behaviour);
            }
        }
        return switch (name) {
            case "has_office_macros" -> hasOfficeMacros;
            case "has_macro_code" -> hasMacroCode;
            case "has_xlm_macros" -> hasXlmMacros;
            case "vba_code" -> vbaCode;
            case "xlm_code" -> xlmCode;
            case "has_autoexec" -> hasAutoexec();
            case "is_suspicious" -> isSuspicious();
            case "detected_autoexec" -> detectedAutoexec;
            case "detected_suspicious" -> detectedSuspicious;
            default -> throw new UnknownAttributeException(NAME, name);
        };
    }

    private static List<String> names(List<String> findings) {
        return findings.stream().map(finding -> finding.substring(0, finding.indexOf(": "))).toList();
    }

    private static Set<String> attributes() {
        List<String> names = new ArrayList<>(List.of("has_office_macros", "vba_code", "has_autoexec", "is_suspicious",
                "detected_autoexec", "detected_suspicious", "has_macro_code", "has_xlm_macros", "xlm_code"));
        for (MacroBehaviour behaviour : MacroBehaviour.values()) {
            names.add(behaviour.attribute());
        }
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(names));
    }
}
