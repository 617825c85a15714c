package org.peekaboo.office;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        List<String> autoexec = new ArrayList<>(MacroKeyword.findIn(MacroKeywords.AUTOEXEC, code));
        for (MacroKeyword keyword : xlmAutoexec) {
            if (!autoexec.contains(keyword.finding())) {
                autoexec.add(keyword.finding());
            }
        }
        return new OleReport(true, code, autoexec, MacroKeyword.findIn(MacroKeywords.SUSPICIOUS, code));
    }
}
