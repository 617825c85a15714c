package org.peekaboo.ruleset;

import java.util.Objects;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares every file with an Office macro (VBA code or an Excel 4 macro sheet) bad: for sites
 * that receive no legitimate macro documents by mail. A VBA project whose modules hold only
 * what Office writes by itself ({@code Attribute}, {@code Option} lines) is no macro: Excel
 * leaves such projects in ordinary workbooks. A document whose macros can never be told
 * (encrypted with an unknown password, corrupt, beyond the analysis' limits) gets the result
 * {@code undecidable} configures for it at once.
 */
public record OfficeMacroRule(ReportSource<? extends MacroReport> reports, UndecidableDocuments undecidable)
        implements Rule {
    public static final String NAME = RulesetLoader.OFFICE_MACRO;

    public OfficeMacroRule {
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(undecidable, "undecidable");
    }

    /** With the default results for documents that cannot be analysed. */
    public OfficeMacroRule(ReportSource<? extends MacroReport> reports) {
        this(reports, UndecidableDocuments.DEFAULT);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        MacroReport report = MacroReportSource.read(context, reports);
        if (report instanceof UndecidableMacroReport failed) {
            return undecidable.resultFor(NAME, failed.failure());
        }
        if (report.hasMacroCode() || report.hasXlmMacros()) {
            return RuleResult.stop(NAME, Result.BAD, "The file contains an Office macro");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, report.hasOfficeMacros()
                ? "The file's VBA project holds no macro code" : "The file contains no Office macro");
    }
}
