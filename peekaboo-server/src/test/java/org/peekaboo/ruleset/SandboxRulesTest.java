package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeSandbox;
import org.peekaboo.ruleset.testing.FakeSandbox.Report;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/** cuckoo_evil_sig, cuckoo_score, requests_evil_domain and cuckoo_analysis_failed over a sandbox report. */
class SandboxRulesTest {
    private Sample sample;

    @BeforeEach
    void createSample(@TempDir Path dir) throws IOException {
        sample = new TestSamples(dir).sample("MZ pretend executable", "setup.exe", "application/x-dosexec");
    }

    @Test
    void evilSignatureIsBadAndNamesEverySignatureRecognized() throws Exception {
        Rule rule = new CuckooEvilSigRule(sandbox(Report.clean().withSignatures(
                "Creates a copy of itself", "Attempts to delete volume shadow copies", "Queries the locale")),
                List.of(Pattern.compile("shadow copies"), Pattern.compile("copy of itself")));

        RuleResult result = rule.evaluate(context());

        assertThat(result).isEqualTo(RuleResult.stop("cuckoo_evil_sig", Result.BAD,
                "The following signatures have been recognized: Creates a copy of itself, "
                        + "Attempts to delete volume shadow copies"));
    }

    @Test
    void signaturesAreSearchedCaseSensitivelyAndNoMatchContinues() throws Exception {
        Rule rule = new CuckooEvilSigRule(sandbox(Report.clean().withSignatures("Attempts To Delete Shadow Copies")),
                List.of(Pattern.compile("shadow copies")));

        RuleResult result = rule.evaluate(context());

        assertThat(result.result()).isEqualTo(Result.UNKNOWN);
        assertThat(result.furtherAnalysis()).isTrue();
    }

    @Test
    void aScoreReachingTheThresholdIsBadAndOneBelowItContinues() throws Exception {
        assertThat(new CuckooScoreRule(sandbox(Report.clean().withScore(4.0)), 4.0).evaluate(context()))
                .isEqualTo(RuleResult.stop("cuckoo_score", Result.BAD, "Sandbox score >= 4.0: 4.0"));
        assertThat(new CuckooScoreRule(sandbox(Report.clean().withScore(3.9)), 4.0).evaluate(context()))
                .isEqualTo(RuleResult.proceed("cuckoo_score", Result.UNKNOWN, "Sandbox score < 4.0: 3.9"));
    }

    @Test
    void aReportWithoutScoreDecidesNothing() throws Exception {
        RuleResult result = new CuckooScoreRule(sandbox(Report.clean().withoutScore()), 4.0).evaluate(context());

        assertThat(result).isEqualTo(RuleResult.proceed("cuckoo_score", Result.UNKNOWN, "The sandbox gave no score"));
    }

    @Test
    void aListedDomainIsBadWhateverItsCaseOrTrailingDot() throws Exception {
        Rule rule = new RequestsEvilDomainRule(sandbox(Report.clean().withDomains(
                "update.microsoft.com", "Canarytokens.COM.", "canarytokens.com")), Set.of("canarytokens.com"));

        RuleResult result = rule.evaluate(context());

        assertThat(result).isEqualTo(RuleResult.stop("requests_evil_domain", Result.BAD,
                "The file attempts to contact at least one domain on the blacklist (Canarytokens.COM., canarytokens.com)"));
    }

    @Test
    void unlistedDomainsContinue() throws Exception {
        Rule rule = new RequestsEvilDomainRule(sandbox(Report.clean().withDomains("example.org")),
                Set.of("canarytokens.com"));

        assertThat(rule.evaluate(context()).furtherAnalysis()).isTrue();
    }

    @Test
    void aFailureMessageFailsTheSampleAndACleanRunContinues() throws Exception {
        List<String> failure = List.of("analysis hit the critical timeout");
        List<String> success = List.of("analysis completed successfully");

        RuleResult failed = new CuckooAnalysisFailedRule(sandbox(Report.clean().withMessages(
                "The analysis hit the critical timeout, terminating")), failure, success).evaluate(context());
        RuleResult completed = new CuckooAnalysisFailedRule(sandbox(Report.clean().withMessages(
                "analysis completed successfully")), failure, success).evaluate(context());
        RuleResult silent = new CuckooAnalysisFailedRule(sandbox(Report.clean()), failure, success)
                .evaluate(context());

        assertThat(failed.result()).isEqualTo(Result.FAILED);
        assertThat(failed.furtherAnalysis()).isFalse();
        assertThat(failed.reason()).endsWith("The analysis hit the critical timeout, terminating");
        assertThat(completed.result()).isEqualTo(Result.UNKNOWN);
        assertThat(completed.reason()).endsWith("analysis completed successfully");
        assertThat(silent.furtherAnalysis()).isTrue();
    }

    @Test
    void aSandboxThatCannotReportMakesEveryRuleThrowSoTheSampleFails() {
        FakeSandbox down = FakeSandbox.failing("Cortex unreachable");
        List<Rule> rules = List.of(new CuckooEvilSigRule(down, List.of(Pattern.compile("x"))),
                new CuckooScoreRule(down, 4.0), new RequestsEvilDomainRule(down, Set.of("evil.example")),
                new CuckooAnalysisFailedRule(down, List.of(), List.of()));

        for (Rule rule : rules) {
            assertThatThrownBy(() -> rule.evaluate(context())).as(rule.name()).hasMessage("Cortex unreachable");
        }
        SampleVerdict verdict = new Ruleset(rules, FakeFileTypeDetector.nothingDetected()).run(sample, 1);
        assertThat(verdict.result()).isEqualTo(Result.FAILED);
    }

    @Test
    void theSandboxRunsOncePerSampleHoweverManyRulesAsk() throws Exception {
        FakeSandbox sandbox = sandbox(Report.clean());
        SampleContext context = context();

        new CuckooEvilSigRule(sandbox, List.of(Pattern.compile("x"))).evaluate(context);
        new CuckooScoreRule(sandbox, 4.0).evaluate(context);
        new RequestsEvilDomainRule(sandbox, Set.of("evil.example")).evaluate(context);

        assertThat(sandbox.runs()).isEqualTo(1);
    }

    private static FakeSandbox sandbox(Report report) {
        return FakeSandbox.reporting(report);
    }

    private SampleContext context() {
        return TestSamples.context(sample, FakeFileTypeDetector.nothingDetected());
    }
}
