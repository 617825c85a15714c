package org.peekaboo.ruleset;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares a file bad when one of the configured keywords (case-insensitive regular
 * expressions) occurs anywhere in its VBA source, e.g. {@code AutoOpen} for macros that run
 * by themselves. The first keyword in list order that occurs is named in the reason. A document
 * whose macros can never be told gets the result {@link UndecidableDocuments} configures for it.
 */
public final class OfficeMacroWithSuspiciousKeywordRule implements Rule {
    public static final String NAME = RulesetLoader.OFFICE_MACRO_WITH_SUSPICIOUS_KEYWORD;

    /** Reasons are one line for people; a regex may match a whole page of source. */
    private static final int MAX_QUOTED_MATCH = 80;

    private final List<Pattern> keywords;
    private final ReportSource<? extends MacroReport> reports;
    private final UndecidableDocuments undecidable;

    /**
     * @param keywords regular expressions, compiled case-insensitively here
     * @throws java.util.regex.PatternSyntaxException for an invalid one (the loader checks first)
     */
    public OfficeMacroWithSuspiciousKeywordRule(List<String> keywords,
                                                ReportSource<? extends MacroReport> reports) {
        this(keywords, reports, UndecidableDocuments.DEFAULT);
    }

    /**
     * @param keywords    regular expressions, compiled case-insensitively here
     * @param undecidable the results for documents that cannot be analysed
     */
    public OfficeMacroWithSuspiciousKeywordRule(List<String> keywords, ReportSource<? extends MacroReport> reports,
                                                UndecidableDocuments undecidable) {
        if (keywords.isEmpty()) {
            throw new IllegalArgumentException(NAME + " needs at least one keyword");
        }
        this.keywords = keywords.stream().map(keyword -> Pattern.compile(keyword, Pattern.CASE_INSENSITIVE)).toList();
        this.reports = Objects.requireNonNull(reports, "reports");
        this.undecidable = Objects.requireNonNull(undecidable, "undecidable");
    }

    /** The configured regular expressions, in order. */
    public List<String> keywords() {
        return keywords.stream().map(Pattern::pattern).toList();
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
        String code = report.vbaCode();
        if (!code.isEmpty()) {
            for (Pattern keyword : keywords) {
                Matcher matcher = keyword.matcher(code);
                if (matcher.find()) {
                    return RuleResult.stop(NAME, Result.BAD, "The file contains an Office macro with the suspicious"
                            + " keyword \"" + quoted(matcher.group()) + "\" (keyword /" + keyword.pattern() + "/)");
                }
            }
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, report.hasOfficeMacros()
                ? "The file's Office macros contain none of the suspicious keywords"
                : "The file contains no Office macro");
    }

    private static String quoted(String match) {
        String oneLine = match.replaceAll("\\p{Cntrl}+", " ");
        return oneLine.length() <= MAX_QUOTED_MATCH ? oneLine : oneLine.substring(0, MAX_QUOTED_MATCH) + "...";
    }
}
