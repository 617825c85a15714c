package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.IniDocument;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.ruleset.testing.FakeSandbox.Report;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The sandbox rules in a ruleset file: built over {@code cortexreport}'s sandbox reports with
 * their options, and refused with advice where Cortex is missing.
 */
class RulesetLoaderSandboxTest {
    private static final Path FILE = Path.of("/etc/peekaboo/ruleset.conf");
    private static final String ALL_FOUR = """
            [rules]
            rule.1 : cuckoo_analysis_failed
            rule.2 : cuckoo_evil_sig
            rule.3 : requests_evil_domain
            rule.4 : cuckoo_score
            rule.5 : final_rule
            [cuckoo_evil_sig]
            signature.1 : .*Ransomware.*
            signature.2 : heapspray
            [requests_evil_domain]
            domain.1 : canarytokens.com
            """;

    private final FakeKnownResults known = new FakeKnownResults();
    private final FakeReport cortex = new FakeReport("cortexreport")
            .with("CuckooSandboxFileReport", Report.clean())
            .with("CAPEv2FileReport", Report.clean().withScore(9.0));
    private final FakeReportSource cortexSource = FakeReportSource.of("cortexreport", cortex);
    private final RulesetLoader withCortex = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(),
            Clock.systemUTC(), List.of(cortexSource));
    private final RulesetLoader withoutCortex = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected());

    @TempDir
    Path dir;

    @Test
    void buildsEverySandboxRuleWithItsOptionsOverTheCuckooReport() {
        LoadedRuleset loaded = load(withCortex, ALL_FOUR + """
                [cuckoo_score]
                higher_than : 6.5
                [cuckoo_analysis_failed]
                failure.1 : end of analysis reached!
                success.1 : analysis completed
                """);
        BehaviouralReportSource cuckoo = new BehaviouralReportSource(cortexSource, "CuckooSandboxFileReport");

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.ruleset().rules()).extracting(Rule::name).containsExactly("cuckoo_analysis_failed",
                "cuckoo_evil_sig", "requests_evil_domain", "cuckoo_score", "final_rule");
        assertThat(loaded.ruleset().rules()).contains(
                new CuckooAnalysisFailedRule(cuckoo, List.of("end of analysis reached!"), List.of("analysis completed")),
                new RequestsEvilDomainRule(cuckoo, Set.of("canarytokens.com")),
                new CuckooScoreRule(cuckoo, 6.5));
        assertThat(loaded.ruleset().rules().get(1)).isInstanceOfSatisfying(CuckooEvilSigRule.class, rule -> {
            assertThat(rule.sandbox()).isEqualTo(cuckoo);
            assertThat(rule.signatures()).extracting(Pattern::pattern).containsExactly(".*Ransomware.*", "heapspray");
        });
    }

    @Test
    void optionsTheFileLeavesOutTakePeekabooAvsDefaults() {
        LoadedRuleset loaded = load(withCortex, ALL_FOUR);
        BehaviouralReportSource cuckoo = new BehaviouralReportSource(cortexSource, "CuckooSandboxFileReport");

        assertThat(loaded.ruleset().rules()).contains(
                new CuckooAnalysisFailedRule(cuckoo, List.of(), List.of("analysis completed successfully")),
                new CuckooScoreRule(cuckoo, 4.0));
    }

    @Test
    void optionSandboxChoosesTheCapeReportPerRule() throws IOException {
        LoadedRuleset loaded = load(withCortex, ALL_FOUR + """
                [cuckoo_score]
                sandbox : CAPEv2FileReport
                """);

        assertThat(loaded.ruleset().rules().get(3))
                .isEqualTo(new CuckooScoreRule(new BehaviouralReportSource(cortexSource, "CAPEv2FileReport"), 4.0));
        SampleVerdict verdict = loaded.ruleset().run(new TestSamples(dir).sample("MZ dropper", "a.exe", null), 1);
        assertThat(verdict.rule()).isEqualTo("cuckoo_score");
        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.reason()).isEqualTo("Sandbox score >= 4.0: 9.0");
        assertThat(cortexSource.computed()).isEqualTo(1);
        assertThat(cortex.asked()).containsExactly("CuckooSandboxFileReport", "CAPEv2FileReport");
    }

    @Test
    void optionSandboxNamesASandboxReportEvenInADisabledSection() {
        assertFails(withCortex, """
                [rules]
                rule.1 : cuckoo_score
                [cuckoo_score]
                sandbox : FileInfoReport
                """, "/etc/peekaboo/ruleset.conf:4: [cuckoo_score] sandbox: \"FileInfoReport\" is not a sandbox"
                + " report; use one of CuckooSandboxFileReport, CAPEv2FileReport");
        assertFails(withoutCortex, """
                [rules]
                rule.1 : final_rule
                [requests_evil_domain]
                domain.1 : canarytokens.com
                sandbox : cuckoo
                """, "/etc/peekaboo/ruleset.conf:5: [requests_evil_domain] sandbox: \"cuckoo\" is not a sandbox report");
    }

    @Test
    void aSandboxRuleEnabledWithoutCortexStopsTheStartWithAdvice() {
        for (String rule : List.of("cuckoo_evil_sig", "cuckoo_score", "requests_evil_domain",
                "cuckoo_analysis_failed")) {
            assertFails(withoutCortex, """
                    [rules]
                    rule.1 : known
                    rule.2 : %s
                    [cuckoo_evil_sig]
                    signature.1 : Ransomware
                    [requests_evil_domain]
                    domain.1 : canarytokens.com
                    """.formatted(rule), "/etc/peekaboo/ruleset.conf:3: [rules] rule.2: Rule " + rule + " needs a"
                    + " sandbox reached through Cortex, which is not available: name an analyzers.conf with"
                    + " [analyzers] config in peekaboo.conf (Peekaboo reaches Cuckoo and CAPE through Cortex, not"
                    + " directly)");
        }
    }

    @Test
    void disabledSandboxRulesLoadWithoutCortexAndTheirSectionsAreStillChecked() {
        LoadedRuleset loaded = load(withoutCortex, """
                [rules]
                rule.1 : final_rule
                [cuckoo_evil_sig]
                signature.1 : Ransomware
                [cuckoo_score]
                higher_than : 7
                sandbox : CAPEv2FileReport
                [requests_evil_domain]
                [cuckoo_analysis_failed]
                success.1 : analysis completed successfully
                """);
        assertThat(loaded.ruleset().rules()).containsExactly(new FinalRule());

        assertFails(withoutCortex, """
                [rules]
                rule.1 : final_rule
                [cuckoo_evil_sig]
                signature.1 : Ransom(ware
                """, "/etc/peekaboo/ruleset.conf:4: [cuckoo_evil_sig] signature.1: \"Ransom(ware\" is not a valid"
                + " regular expression");
        assertFails(withoutCortex, """
                [rules]
                rule.1 : final_rule
                [requests_evil_domain]
                domains.1 : canarytokens.com
                """, "/etc/peekaboo/ruleset.conf:4: [requests_evil_domain] domains: Unknown option; known options:");
        assertFails(withoutCortex, """
                [rules]
                rule.1 : final_rule
                [cuckoo_analysis_failed]
                failure.1 :
                """, "/etc/peekaboo/ruleset.conf:4: [cuckoo_analysis_failed] failure.1: is empty");
    }

    @Test
    void enabledSandboxRulesNeedTheirLists() {
        assertFails(withCortex, """
                [rules]
                rule.1 : requests_evil_domain
                [requests_evil_domain]
                """, "/etc/peekaboo/ruleset.conf:3: [requests_evil_domain] domain: needs at least one item because the"
                + " rule is enabled (rule.1 at /etc/peekaboo/ruleset.conf:2); write e.g. domain.1: canarytokens.com");
        assertFails(withCortex, """
                [rules]
                rule.1 : cuckoo_evil_sig
                """, "/etc/peekaboo/ruleset.conf:2: [cuckoo_evil_sig] signature: needs at least one item");
    }

    @Test
    void theRulesAndExpressionsShareOneSandboxReportPerSample() throws IOException {
        cortex.with("CuckooSandboxFileReport", Report.clean().withScore(5.0).withDomains("Canarytokens.com."));
        LoadedRuleset loaded = load(withCortex, """
                [rules]
                rule.1 : expressions
                rule.2 : cuckoo_score
                rule.3 : requests_evil_domain
                [cuckoo_score]
                higher_than : 6
                [requests_evil_domain]
                domain.1 : canarytokens.com
                [expressions]
                expression.1 : cortexreport.CuckooSandboxFileReport.malscore > 8 -> bad
                """);

        SampleVerdict verdict = loaded.ruleset().run(new TestSamples(dir).sample("MZ beacon", "b.exe", null), 1);

        assertThat(verdict.rule()).isEqualTo("requests_evil_domain");
        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.report()).extracting(RuleResult::result)
                .containsExactly(Result.UNKNOWN, Result.UNKNOWN, Result.BAD);
        assertThat(cortexSource.computed()).isEqualTo(1);
    }

    @Test
    void oneErrorNamesEveryRuleAndExpressionThatNeedsTheMissingCortexAndWhy() {
        RulesetLoader cortexNotConfigured = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(),
                Clock.systemUTC(), List.of(new UnavailableReport("cortexreport", "[cortex] sets nothing")));

        assertThatThrownBy(() -> load(cortexNotConfigured, ALL_FOUR.replace("rule.5 : final_rule", """
                rule.5 : expressions
                rule.6 : final_rule
                [expressions]
                expression.1 : sample.file_size < 5 -> ignore
                expression.2 : cuckooreport.score > 4 -> bad
                """)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/peekaboo/ruleset.conf:2: [rules] rule.1: Rule cuckoo_analysis_failed needs a sandbox"
                        + " reached through Cortex, which is not available: [cortex] sets nothing. Also needing it:"
                        + " rule cuckoo_evil_sig (rule.2 at /etc/peekaboo/ruleset.conf:3),"
                        + " rule requests_evil_domain (rule.3 at /etc/peekaboo/ruleset.conf:4),"
                        + " rule cuckoo_score (rule.4 at /etc/peekaboo/ruleset.conf:5),"
                        + " rule expressions (expression.2 at /etc/peekaboo/ruleset.conf:10: cuckooreport.score)");
    }

    @Test
    void withoutCortexARulesetThatDoesNotNeedItLoads() {
        RulesetLoader cortexNotConfigured = new RulesetLoader(known, FakeFileTypeDetector.nothingDetected(),
                Clock.systemUTC(), List.of(new UnavailableReport("cortexreport", "[cortex] sets nothing")));

        LoadedRuleset loaded = load(cortexNotConfigured, ALL_FOUR.replaceAll("(?m)^rule\\.[1-4] .*\n", "")
                + "[expressions]\nexpression.1 : cuckooreport.score > 4 -> bad\n");

        assertThat(loaded.ruleset().rules()).extracting(Rule::name).containsExactly("final_rule");
    }

    private LoadedRuleset load(RulesetLoader loader, String text) {
        return loader.load(IniDocument.parse(FILE, text));
    }

    private void assertFails(RulesetLoader loader, String text, String messageStart) {
        assertThatThrownBy(() -> load(loader, text))
                .isInstanceOf(ConfigException.class)
                .message().startsWith(messageStart);
    }
}
