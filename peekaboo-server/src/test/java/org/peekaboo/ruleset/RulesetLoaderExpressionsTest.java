package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.IniDocument;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/** The expressions rule in a ruleset file: built from its section, every expression checked at start-up. */
class RulesetLoaderExpressionsTest {
    private static final Path FILE = Path.of("/etc/peekaboo/ruleset.conf");

    private final FakeKnownResults known = new FakeKnownResults();
    private final FakeFileTypeDetector detector = FakeFileTypeDetector.reporting("application/pdf", null);
    private final RulesetLoader loader = OfficeReports.loader(known, detector);

    @TempDir
    Path dir;

    @Test
    void buildsTheRuleWithTheConfiguredExpressionsInFileOrder() throws IOException {
        LoadedRuleset loaded = load("""
                [rules]
                rule.1 : expressions
                rule.2 : final_rule
                [expressions]
                log_level : info
                expression.4 : sample.file_extension == 'pdf'
                    and filereport.type_by_content == 'application/pdf' -> ignore
                expression.1 : knownreport.known -> knownreport.worst_result
                """);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.ruleset().rules().getFirst()).isInstanceOfSatisfying(ExpressionsRule.class, rule ->
                assertThat(rule.expressions()).extracting(ExpressionsRule.Configured::key)
                        .containsExactly("expression.4", "expression.1"));

        SampleVerdict verdict = loaded.ruleset().run(new TestSamples(dir).sample("%PDF-1.4", "a.pdf", null), 1);
        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
        assertThat(verdict.reason()).isEqualTo("The expression expression.4 classified the sample as ignored");
    }

    @Test
    void aSyntaxErrorNamesLineDistinguisherAndColumn() {
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : sample.file_size < 10 -> ignore
                expression.7 : sample.file_size <> 10 -> ignore
                """, """
                /etc/peekaboo/ruleset.conf:5: [expressions] expression.7: column 19: expected an operand, found '>'
                    sample.file_size <> 10 -> ignore
                                      ^""");
    }

    @Test
    void aSyntaxErrorInADisabledRulesSectionStopsTheStartToo() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                [expressions]
                expression.1 : sample.file_size < 10 ->
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 25: after '->' expected a result");
    }

    @Test
    void anUnknownIdentifierIsAnError() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                [expressions]
                expression.1 : sample.file_size < 10 and smaple.file_size > 1 -> ignore
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 27: unknown identifier 'smaple';"
                + " expressions know sample, filereport, knownreport, olereport");
    }

    @Test
    void anUnknownAttributeIsAnErrorListingTheKnownOnes() {
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : True -> bad
                expression.2 : filereport.mime_type <= {'text/plain'} -> ignore
                """, "/etc/peekaboo/ruleset.conf:5: [expressions] expression.2: column 1: filereport has no attribute"
                + " 'mime_type'; it has type_by_content, type_by_name, type_as_text, mime_types");
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : sample.file_size.bytes > 1 -> bad
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 1: sample.file_size is a plain value"
                + " and has no attribute 'bytes'");
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : True -> knownreport.worst
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 9: knownreport has no attribute"
                + " 'worst'");
    }

    @Test
    void cuckooreportWithoutCortexSaysWhatToConfigure() {
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.3 : sample.file_extension in {'doc', 'xls'} and cuckooreport.score > 4.0 -> bad
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.3: column 45: cuckooreport.score needs"
                + " Cortex, which is not available: name an analyzers.conf with [analyzers] config in peekaboo.conf"
                + " (Peekaboo reaches Cuckoo and CAPE through Cortex, not directly)");
    }

    @Test
    void aMisspeltCuckooreportAttributeIsAnErrorEvenWithoutCortex() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                [expressions]
                expression.1 : cuckooreport.scores > 4.0 -> bad
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 1: cuckooreport has no attribute"
                + " 'scores'; it has requested_domains, signature_descriptions, score, errors, server_messages, url");
    }

    @Test
    void reportsThatAreNotConfiguredAreAnErrorWhileTheRuleIsEnabled() {
        String section = """
                [expressions]
                expression.1 : cortexreport.FileInfoReport -> bad
                expression.2 : olereport.has_office_macros -> bad
                """;

        assertThat(load("[rules]\nrule.1 : final_rule\n" + section).ruleset().rules())
                .containsExactly(new FinalRule());
        assertFails("[rules]\nrule.1 : expressions\n" + section, "/etc/peekaboo/ruleset.conf:4: [expressions]"
                + " expression.1: column 1: cortexreport.FileInfoReport needs Cortex, which is not available: name an"
                + " analyzers.conf with [analyzers] config in peekaboo.conf (Peekaboo reaches Cuckoo and CAPE through"
                + " Cortex, not directly)");
    }

    @Test
    void reportsGivenToTheLoaderAreCheckedAndUsed() throws IOException {
        FakeReport ole = new FakeReport("olereport").with("has_office_macros", true).with("vba_code", "AutoOpen");
        RulesetLoader withOle = new RulesetLoader(known, detector, Clock.systemUTC(),
                List.of(FakeReportSource.of("olereport", ole)));
        String rules = """
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : olereport.%s -> bad
                """;

        LoadedRuleset loaded = withOle.load(IniDocument.parse(FILE, rules.formatted("has_office_macros")));
        assertThat(loaded.ruleset().run(new TestSamples(dir).sample("macro", "m.doc", null), 1).result())
                .isEqualTo(Result.BAD);
        assertThatThrownBy(() -> withOle.load(IniDocument.parse(FILE, rules.formatted("has_office_macro"))))
                .hasMessageStartingWith("/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 1: olereport"
                        + " has no attribute 'has_office_macro'; it has has_office_macros, vba_code");
    }

    @Test
    void aGivenReportReplacesTheBuiltInOneOfItsNameOnPurpose() throws IOException {
        FakeReport sample = new FakeReport("sample").with("file_size", 1L);
        RulesetLoader withFakeSample = new RulesetLoader(known, detector, Clock.systemUTC(),
                List.of(FakeReportSource.of("sample", sample)));
        String rules = """
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : sample.%s -> bad
                """;

        LoadedRuleset loaded = withFakeSample.load(IniDocument.parse(FILE, rules.formatted("file_size == 1")));
        assertThat(loaded.ruleset().run(new TestSamples(dir).sample("far more than one byte", "a.pdf", null), 1)
                .result()).isEqualTo(Result.BAD);
        assertThat(sample.asked()).containsExactly("file_size");
        assertThatThrownBy(() -> withFakeSample.load(IniDocument.parse(FILE, rules.formatted("file_extension"))))
                .hasMessageStartingWith("/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 1: sample"
                        + " has no attribute 'file_extension'; it has file_size");
    }

    @Test
    void twoGivenReportsOfOneNameAreRefused() {
        assertThatThrownBy(() -> new RulesetLoader(known, detector, Clock.systemUTC(),
                List.of(FakeReportSource.of("cortexreport", new FakeReport("a")),
                        FakeReportSource.of("cortexreport", new FakeReport("b")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two report sources are named cortexreport");
    }

    @Test
    void aTypoInAnOlereportAttributeStopsTheStartWithLineAndColumn() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                [expressions]
                expression.1 : sample.file_extension == 'doc'
                    and olereport.has_office_macro -> bad
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 36: olereport has no attribute"
                + " 'has_office_macro'; it has has_office_macros, vba_code, has_autoexec, is_suspicious,"
                + " detected_autoexec, detected_suspicious");
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : olereport.vba_code.length > 0 -> bad
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] expression.1: column 1: olereport.vba_code is a plain"
                + " value and has no attribute 'length'");
    }

    @Test
    void theBuiltInOlereportAnalysesTheSampleForExpressions() throws IOException {
        LoadedRuleset loaded = load("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : olereport.has_office_macros or olereport.vba_code != '' -> bad
                expression.2 : not olereport.is_suspicious -> good
                """);

        SampleVerdict verdict = loaded.ruleset().run(new TestSamples(dir).sample("%PDF-1.4 no macros", "a.pdf", null), 1);

        assertThat(verdict.result()).isEqualTo(Result.GOOD);
        assertThat(verdict.reason()).isEqualTo("The expression expression.2 classified the sample as good");
    }

    @Test
    void anEnabledRuleNeedsExpressions() {
        assertFails("""
                [rules]
                rule.1 : expressions
                """, "/etc/peekaboo/ruleset.conf:2: [expressions] expression: needs at least one item because the rule"
                + " is enabled");
    }

    private LoadedRuleset load(String text) {
        return loader.load(IniDocument.parse(FILE, text));
    }

    private void assertFails(String text, String messageStart) {
        assertThatThrownBy(() -> load(text))
                .isInstanceOf(ConfigException.class)
                .message().startsWith(messageStart);
    }
}
