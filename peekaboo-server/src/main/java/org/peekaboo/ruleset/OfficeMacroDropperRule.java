package org.peekaboo.ruleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares a file bad when its VBA code or its Excel 4 (XLM) formulas run by itself (an auto-run procedure or event
 * handler) and runs programs, downloads, writes files, loads code or hides what it does:
 * what a macro dropper needs and an ordinary document macro does not. Macros that merely run
 * at opening (a status bar text, a date) and code without a trigger go on. A document whose
 * macros can never be told (encrypted with an unknown password, corrupt, beyond the limits)
 * gets the result {@code undecidable} configures for it at once.
 */
public record OfficeMacroDropperRule(ReportSource<? extends MacroReport> reports, UndecidableDocuments undecidable)
        implements Rule {
    public static final String NAME = RulesetLoader.OFFICE_MACRO_DROPPER;

    public OfficeMacroDropperRule {
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(undecidable, "undecidable");
    }

    /** With the default results for documents that cannot be analysed. */
    public OfficeMacroDropperRule(ReportSource<? extends MacroReport> reports) {
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
        if (!report.hasMacroCode() && report.xlmCode().isBlank()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file contains no VBA macro code and no Excel 4 formulas");
        }
        List<String> triggers = report.autoexecTriggers();
        List<String> behaviours = new ArrayList<>();
        for (MacroBehaviour behaviour : MacroBehaviour.values()) {
            List<String> indicators = report.indicators(behaviour);
            if (!indicators.isEmpty()) {
                behaviours.add(behaviour.phrase() + " (" + String.join(", ", indicators) + ")");
            }
        }
        if (triggers.isEmpty() || behaviours.isEmpty()) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, triggers.isEmpty()
                    ? "The file's Office macros do not run by themselves"
                    : "The file's Office macros run by themselves but show no sign of a dropper");
        }
        return RuleResult.stop(NAME, Result.BAD, "The file contains an Office macro that runs by itself ("
                + String.join(", ", triggers) + ") and " + String.join(", ", behaviours));
    }
}
