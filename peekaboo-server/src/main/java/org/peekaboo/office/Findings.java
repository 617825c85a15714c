package org.peekaboo.office;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.peekaboo.ruleset.MacroBehaviour;

/**
 * What the containers of one document revealed so far, within the document's budget: VBA
 * source and Excel 4 formulas each up to the VBA source limit, at most {@link #MAX_XLM_FORMULAS}
 * formulas.
 */
final class Findings {
    /** Real macro sheets hold hundreds of formulas; droppers padding with junk reach thousands. */
    static final int MAX_XLM_FORMULAS = 100_000;

    private final int maxVbaBytes;
    private final Map<String, String> modules = new TreeMap<>();
    private final List<MacroKeyword> xlmAutoexec = new ArrayList<>();
    private final List<String> xlmFormulas = new ArrayList<>();
    private long vbaBytes;
    private long xlmChars;
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

    /** Adds one formula of an Excel 4 macro sheet, refused beyond the budget like VBA source. */
    void addXlmFormula(String where, String formula) throws OfficeDocumentException {
        xlmChars += formula.length();
        if (xlmFormulas.size() >= MAX_XLM_FORMULAS || xlmChars > maxVbaBytes) {
            throw new OfficeDocumentException(where + ": Excel 4 formulas exceed the limit of " + MAX_XLM_FORMULAS
                    + " formulas or " + maxVbaBytes + " characters; the macros cannot be judged");
        }
        xlmFormulas.add(formula);
    }

    void xlmMacroSheet() {
        xlmMacroSheet = true;
    }

    /**
     * Notes a defined name that runs an Excel 4 macro by itself. Excel also runs names that
     * only start with Auto_Open ("Auto_Open_x"), a known disguise.
     */
    void xlmName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("auto_open")) {
            xlmAutoexec(MacroKeywords.XLM_AUTO_OPEN);
        } else if (lower.startsWith("auto_close")) {
            xlmAutoexec(MacroKeywords.XLM_AUTO_CLOSE);
        } else if (lower.startsWith("auto_activate")) {
            xlmAutoexec(MacroKeywords.XLM_AUTO_ACTIVATE);
        }
    }

    void xlmAutoexec(MacroKeyword keyword) {
        if (!xlmAutoexec.contains(keyword)) {
            xlmAutoexec.add(keyword);
        }
    }

    OleReport report() {
        boolean hasMacros = !modules.isEmpty() || xlmMacroSheet || !xlmFormulas.isEmpty();
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
        for (XlmIndicator indicator : XlmIndicators.ALL) {
            if (indicator.test().test(xlmFormulas)) {
                behaviour.computeIfAbsent(indicator.behaviour(), b -> new ArrayList<>()).add(indicator.finding());
                suspicious.add(indicator.finding());
            }
        }
        return new OleReport(true, text.hasCode(), xlmMacroSheet || !xlmFormulas.isEmpty(), code,
                String.join("\n", xlmFormulas), autoexec, suspicious, behaviour);
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
