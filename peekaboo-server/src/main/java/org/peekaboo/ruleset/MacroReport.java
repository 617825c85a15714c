package org.peekaboo.ruleset;

import java.util.List;

/**
 * What the Office rules ({@code office_macro}, {@code office_macro_with_suspicious_keyword},
 * {@code office_macro_dropper}) read of a file's macro analysis, the {@code olereport}. The ruleset owns this view so that
 * it need not know who analyses Office documents: the analysis is handed to
 * {@link RulesetLoader} like {@code cortexreport} is, and the dependency points one way.
 */
public interface MacroReport {

    /** A VBA project (with or without code) or an Excel 4 (XLM) macro sheet was found. */
    boolean hasOfficeMacros();

    /** The source of every VBA module, joined by newlines; empty without VBA. */
    String vbaCode();

    /** A VBA module holds code beyond the Attribute and Option lines Office writes itself. */
    boolean hasMacroCode();

    /** An Excel 4 macro sheet was found. */
    boolean hasXlmMacros();

    /** The formulas of every Excel 4 macro sheet, joined by newlines; empty without any. */
    String xlmCode();

    /** The names of the auto-run triggers found, e.g. {@code Document_Open}. */
    List<String> autoexecTriggers();

    /** The names of the indicators of {@code behaviour} found, e.g. {@code URLDownloadToFile}. */
    List<String> indicators(MacroBehaviour behaviour);
}
