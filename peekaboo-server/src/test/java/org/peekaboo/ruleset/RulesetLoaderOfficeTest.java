package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.IniDocument;
import org.peekaboo.office.OleReport;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The Office rules in a ruleset file: built over the {@code olereport} the loader is given,
 * sharing its analysis with the expressions, and refused where the loader was given none.
 */
class RulesetLoaderOfficeTest {
    private static final Path FILE = Path.of("/etc/peekaboo/ruleset.conf");
    private static final String NOT_GIVEN = "which is not available: it was not given to the ruleset loader";

    private final FakeKnownResults known = new FakeKnownResults();
    private final RulesetLoader withoutOffice = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected());

    @TempDir
    Path dir;

    @Test
    void theOfficeRulesReadTheGivenOlereport() {
        OleReportSource ole = OfficeReports.source();
        RulesetLoader loader = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(), Clock.systemUTC(),
                List.of(ole));

        LoadedRuleset loaded = load(loader, """
                [rules]
                rule.1 : office_macro
                rule.2 : final_rule
                """);

        assertThat(loaded.ruleset().rules()).containsExactly(
                new OfficeMacroRule(new MacroReportSource(ole)), new FinalRule());
    }

    @Test
    void theDropperRuleReadsTheGivenOlereportAndHasNoOptions() {
        OleReportSource ole = OfficeReports.source();
        RulesetLoader loader = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(), Clock.systemUTC(),
                List.of(ole));

        LoadedRuleset loaded = load(loader, """
                [rules]
                rule.1 : office_macro_dropper
                rule.2 : final_rule
                [office_macro_dropper]
                """);

        assertThat(loaded.ruleset().rules()).containsExactly(
                new OfficeMacroDropperRule(new MacroReportSource(ole)), new FinalRule());
        assertFails(loader, """
                [rules]
                rule.1 : final_rule
                [office_macro_dropper]
                keyword.1 : Shell
                """, "/etc/peekaboo/ruleset.conf:4: [office_macro_dropper] keyword: Unknown option");
    }

    @Test
    void theOfficeRulesTakeTheirResultsForDocumentsThatCannotBeAnalysed() {
        OleReportSource ole = OfficeReports.source();
        RulesetLoader loader = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(), Clock.systemUTC(),
                List.of(ole));
        MacroReportSource reports = new MacroReportSource(ole);

        LoadedRuleset loaded = load(loader, """
                [rules]
                rule.1 : office_macro_dropper
                rule.2 : office_macro
                rule.3 : office_macro_with_suspicious_keyword
                rule.4 : final_rule
                [office_macro_dropper]
                encrypted_result : bad
                unreadable_result : Failed
                [office_macro]
                unreadable_result : good
                [office_macro_with_suspicious_keyword]
                keyword.1 : Shell
                """);

        assertThat(loaded.ruleset().rules()).containsExactly(
                new OfficeMacroDropperRule(reports, new UndecidableDocuments(Result.BAD, Result.FAILED)),
                new OfficeMacroRule(reports, new UndecidableDocuments(Result.IGNORED, Result.GOOD)),
                loaded.ruleset().rules().get(2), new FinalRule());
        assertFails(loader, """
                [rules]
                rule.1 : office_macro_dropper
                [office_macro_dropper]
                encrypted_result : unchecked
                """, "/etc/peekaboo/ruleset.conf:4: [office_macro_dropper] encrypted_result: \"unchecked\" is not a"
                + " result; use one of unknown, ignored, good, failed, bad");
    }

    @Test
    void rulesAndExpressionsAnalyseADocumentOncePerSample() throws IOException {
        Counting ole = new Counting(OfficeReports.source(), new AtomicInteger());
        RulesetLoader loader = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(), Clock.systemUTC(),
                List.of(ole));
        Ruleset ruleset = load(loader, """
                [rules]
                rule.1 : expressions
                rule.2 : office_macro_with_suspicious_keyword
                rule.3 : office_macro
                [expressions]
                expression.1 : olereport.is_suspicious -> bad
                [office_macro_with_suspicious_keyword]
                keyword.1 : shell
                """).ruleset();
        byte[] docm = OfficeFiles.docm(module("Module1", "Sub Tidy()", "End Sub"));

        SampleVerdict verdict = ruleset.run(new TestSamples(dir).sample(docm, "tidy.docm", null), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("office_macro");
        assertThat(verdict.report()).hasSize(3);
        assertThat(ole.computed()).hasValue(1);
    }

    @Test
    void anOfficeRuleEnabledWithoutOlereportStopsTheStart() {
        for (String rule : List.of("office_macro", "office_macro_with_suspicious_keyword", "office_macro_dropper")) {
            assertFails(withoutOffice, """
                    [rules]
                    rule.1 : known
                    rule.2 : %s
                    [office_macro_with_suspicious_keyword]
                    keyword.1 : AutoOpen
                    """.formatted(rule), "/etc/peekaboo/ruleset.conf:3: [rules] rule.2: Rule " + rule + " needs the"
                    + " analysis of Office macros (olereport), " + NOT_GIVEN);
        }
    }

    @Test
    void disabledOfficeRulesLoadWithoutOlereportAndTheirSectionsAreStillChecked() {
        LoadedRuleset loaded = load(withoutOffice, """
                [rules]
                rule.1 : final_rule
                [office_macro_with_suspicious_keyword]
                keyword.1 : AutoOpen
                """);
        assertThat(loaded.ruleset().rules()).containsExactly(new FinalRule());

        assertFails(withoutOffice, """
                [rules]
                rule.1 : final_rule
                [office_macro_with_suspicious_keyword]
                keyword.1 : [AutoOpen
                """, "/etc/peekaboo/ruleset.conf:4: [office_macro_with_suspicious_keyword] keyword.1: \"[AutoOpen\" is"
                + " not a valid regular expression");
        assertFails(withoutOffice, """
                [rules]
                rule.1 : final_rule
                [office_macro]
                keyword.1 : AutoOpen
                """, "/etc/peekaboo/ruleset.conf:4: [office_macro] keyword: Unknown option");
    }

    @Test
    void anOlereportExpressionWithoutOlereportStopsTheStartWhileTheRuleIsEnabled() {
        String section = """
                [expressions]
                expression.1 : sample.file_extension == 'doc' and olereport.has_office_macros -> bad
                """;

        assertThat(load(withoutOffice, "[rules]\nrule.1 : final_rule\n" + section).ruleset().rules())
                .containsExactly(new FinalRule());
        assertFails(withoutOffice, "[rules]\nrule.1 : expressions\n" + section, "/etc/peekaboo/ruleset.conf:4:"
                + " [expressions] expression.1: column 36: olereport.has_office_macros needs the"
                + " analysis of Office macros (olereport), " + NOT_GIVEN);
    }

    @Test
    void withoutOlereportExpressionsDoNotOfferIt() {
        assertFails(withoutOffice, """
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : olereprot.has_office_macros -> bad
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 1: unknown identifier"
                + " 'olereprot'; expressions know sample, filereport, knownreport");
    }

    @Test
    void anOlereportThatIsNoMacroAnalysisFailsTheOfficeRules() throws IOException {
        FakeReport notMacros = new FakeReport("olereport").with("has_office_macros", true);
        RulesetLoader loader = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(), Clock.systemUTC(),
                List.of(FakeReportSource.of("olereport", notMacros)));
        Ruleset ruleset = load(loader, """
                [rules]
                rule.1 : office_macro
                """).ruleset();

        SampleVerdict verdict = ruleset.run(new TestSamples(dir).sample("macro", "m.doc", null), 1);

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
        assertThat(verdict.reason()).isEqualTo("Rule aborted with error: java.lang.IllegalStateException: olereport"
                + " is not an analysis of Office macros");
    }

    @Test
    void theMacroReportOfAnotherSourceIsAskedOfItsParent() throws Exception {
        OleReportSource ole = OfficeReports.source();
        SampleContext context = TestSamples.context(new TestSamples(dir).sample("plain text", "a.txt", null),
                FakeFileTypeDetector.nothingDetected());

        assertThat(new MacroReportSource(ole).name()).isEqualTo("olereport");
        assertThat(context.report(new MacroReportSource(ole))).isSameAs(context.report(ole))
                .isEqualTo(OleReport.NO_MACROS);
    }

    private static LoadedRuleset load(RulesetLoader loader, String text) {
        return loader.load(IniDocument.parse(FILE, text));
    }

    private static void assertFails(RulesetLoader loader, String text, String messageStart) {
        assertThatThrownBy(() -> load(loader, text))
                .isInstanceOf(ConfigException.class)
                .message().startsWith(messageStart);
    }

    /** The real analysis, counting how often it runs. */
    private record Counting(OleReportSource analysis, AtomicInteger computed) implements ReportSource<OleReport> {
        @Override
        public String name() {
            return analysis.name();
        }

        @Override
        public OleReport compute(SampleContext context) throws IOException {
            computed.incrementAndGet();
            return analysis.compute(context);
        }

        @Override
        public ReportShape shape() {
            return analysis.shape();
        }
    }
}
