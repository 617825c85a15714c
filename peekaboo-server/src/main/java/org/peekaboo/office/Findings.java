package org.peekaboo.office;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peekaboo.ruleset.MacroBehaviour;

/** What the containers of one document revealed so far, within the document's VBA budget. */
final class Findings {
    private final int maxVbaBytes;
    private final Map<String, String> modules = new TreeMap<>();
    private final List<MacroKeyword> xlmAutoexec = new ArrayList<>();
    private long vbaBytes;
    private boolean xlmMacroSheet;

    Findings(int maxVbaBytes) {
        this.maxVbaBytes = maxVbaBytes;
    }

    /**
     * Reserves room for {@code bytes} more decompressed VBA source. Called before the source
     * is materialised, so an oversized project fails without being held in memory.
     */
    void reserveVba(String where, long bytes) throws OfficeDocumentException {
        vbaBytes += bytes;
        if (vbaBytes > maxVbaBytes) {
            throw new OfficeDocumentException(where + ": VBA source exceeds the limit of " + maxVbaBytes
                    + " bytes; the macros cannot be judged");
        }
    }

    /** Adds one module's source; the same module name in two containers is kept apart. */
    void addModule(String container, String name, String source) {
        String key = container + "/" + name;
        modules.put(key, source);
    }

    void xlmMacroSheet() {
        xlmMacroSheet = true;
    }

    void xlmAutoexec(MacroKeyword keyword) {
        if (!xlmAutoexec.contains(keyword)) {
            xlmAutoexec.add(keyword);
        }
    }

    OleReport report() {
        boolean hasMacros = !modules.isEmpty() || xlmMacroSheet;
        if (!hasMacros) {
            return OleReport.NO_MACROS;
        }
        String code = String.join("\n", modules.values());
        VbaText text = VbaText.of(code);
        List<String> autoexec = new ArrayList<>(triggers(text));
        for (MacroKeyword keyword : xlmAutoexec) {
            addNew(autoexec, keyword.finding());
        }
        List<String> suspicious = new ArrayList<>(MacroKeyword.findIn(MacroKeywords.SUSPICIOUS, text.code()));
        Map<MacroBehaviour, List<String>> behaviour = new EnumMap<>(MacroBehaviour.class);
        for (MacroIndicator indicator : MacroIndicators.ALL) {
            if (indicator.test().test(text)) {
                behaviour.computeIfAbsent(indicator.behaviour(), b -> new ArrayList<>()).add(indicator.finding());
                // The union keeps PeekabooAV's expressions on detected_suspicious seeing every indicator.
                if (suspicious.stream().noneMatch(finding -> finding.startsWith(indicator.name() + ": "))) {
                    suspicious.add(indicator.finding());
                }
            }
        }
        return new OleReport(true, text.hasCode(), xlmMacroSheet, code, autoexec, suspicious, behaviour);
    }

    /**
     * The auto-run triggers among the declared procedures: only a declaration runs by
     * itself, a call, a comment or a string naming AutoOpen does not.
     */
    private static List<String> triggers(VbaText text) {
        List<String> found = new ArrayList<>();
        for (String procedure : text.declaredProcedures()) {
            for (MacroKeyword keyword : MacroKeywords.AUTOEXEC) {
                if (keyword.pattern().matcher(procedure).matches()) {
                    addNew(found, keyword == MacroKeywords.ACTIVEX_EVENT
                            ? procedure + ": " + keyword.description() : keyword.finding());
                    break;
                }
            }
        }
        return found;
    }

    private static void addNew(List<String> list, String finding) {
        if (!list.contains(finding)) {
            list.add(finding);
        }
    }
}
