package org.peekaboo.ruleset;

import java.util.Objects;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares every file with an Office macro (VBA code or an Excel 4 macro sheet) bad: for sites
 * that receive no legitimate macro documents by mail. A VBA project whose modules hold only
 * what Office writes by itself ({@code Attribute}, {@code Option} lines) is no macro: Excel
 * leaves such projects in ordinary workbooks. A document whose macros cannot be
 * told (corrupt, encrypted, beyond the analysis' limits) makes the rule throw, so it ends
 * {@code failed}, never passed.
 */
public record OfficeMacroRule(ReportSource<? extends MacroReport> reports) implements Rule {
    public static final String NAME = RulesetLoader.OFFICE_MACRO;

    public OfficeMacroRule {
        Objects.requireNonNull(reports, "reports");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws Exception {
        MacroReport report = context.report(reports);
        if (report.hasMacroCode() || report.hasXlmMacros()) {
            return RuleResult.stop(NAME, Result.BAD, "The file contains an Office macro");
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, report.hasOfficeMacros()
                ? "The file's VBA project holds no macro code" : "The file contains no Office macro");
    }
}
