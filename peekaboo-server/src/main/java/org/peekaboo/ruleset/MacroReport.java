package org.peekaboo.ruleset;

/**
 * What the Office rules ({@code office_macro}, {@code office_macro_with_suspicious_keyword})
 * read of a file's macro analysis, the {@code olereport}. The ruleset owns this view so that
 * it need not know who analyses Office documents: the analysis is handed to
 * {@link RulesetLoader} like {@code cortexreport} is, and the dependency points one way.
 */
public interface MacroReport {

    /** A VBA project or an Excel 4 (XLM) macro sheet was found. */
    boolean hasOfficeMacros();

    /** The source of every VBA module, joined by newlines; empty without VBA. */
    String vbaCode();
}
