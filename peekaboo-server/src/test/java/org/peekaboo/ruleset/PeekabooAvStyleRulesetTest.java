package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.ruleset.testing.FakeSandbox.Report;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/** A ruleset file as PeekabooAV installations have them loads and runs, its Cuckoo rules over Cortex. */
class PeekabooAvStyleRulesetTest {
    private static final TikaFileTypeDetector DETECTOR = new TikaFileTypeDetector();

    private final FakeKnownResults known = new FakeKnownResults();
    private final FakeReport ole = new FakeReport("olereport").with("has_office_macros", true);
    private final FakeReport cortex = new FakeReport("cortexreport")
            .with("CuckooSandboxFileReport", Report.clean().withScore(8.0));
    private final FakeReportSource cortexSource = FakeReportSource.of("cortexreport", cortex);
    private LoadedRuleset loaded;

    @TempDir
    Path dir;

    @BeforeEach
    void load() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("peekabooav-style-ruleset.conf").toURI());
        loaded = new RulesetLoader(known, DETECTOR, Clock.systemUTC(), List.of(
                FakeReportSource.of("olereport", ole), cortexSource)).load(file);
    }

    @Test
    void loadsWithTheRulesInFileOrder() {
        assertThat(loaded.ruleset().rules()).extracting(Rule::name).containsExactly(
                "known", "file_larger_than", "file_type_on_whitelist", "file_type_on_greylist", "expressions",
                "cuckoo_evil_sig", "cuckoo_score", "cuckoo_analysis_failed", "final_rule");
    }

    @Test
    void theCuckooRulesReadTheSandboxReportOfCortexAndNothingIsWarned() {
        BehaviouralReportSource sandbox = new BehaviouralReportSource(cortexSource, "CuckooSandboxFileReport");

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.ruleset().rules()).contains(new CuckooScoreRule(sandbox, 4.0),
                new CuckooAnalysisFailedRule(sandbox, List.of(), List.of("analysis completed successfully")));
        assertThat(loaded.ruleset().rules()).filteredOn(rule -> rule instanceof CuckooEvilSigRule).singleElement()
                .satisfies(rule -> assertThat(((CuckooEvilSigRule) rule).signatures()).hasSize(4));
    }

    @Test
    void theOtherRulesUseTheirConfiguredOptions() {
        assertThat(loaded.ruleset().rules()).contains(
                new KnownRule(known),
                new FileLargerThanRule(5),
                new FinalRule());
        assertThat(loaded.ruleset().rules()).filteredOn(rule -> rule instanceof FileTypeOnGreylistRule)
                .singleElement()
                .satisfies(rule -> assertThat(((FileTypeOnGreylistRule) rule).greylist())
                        .hasSize(7)
                        .contains("application/vnd.ms-word.document.macroenabled.12"));
    }

    @Test
    void aWhitelistedTextFileIsIgnoredWithoutAskingCortex() throws IOException {
        SampleVerdict verdict = run("Meeting notes, nothing else.\n", "notes.txt", "text/plain");

        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
        assertThat(verdict.rule()).isEqualTo("file_type_on_whitelist");
        assertThat(cortexSource.computed()).isZero();
    }

    @Test
    void aTinyFileIsIgnored() throws IOException {
        assertThat(run("MZ", "tiny.exe", null).result()).isEqualTo(Result.IGNORED);
    }

    @Test
    void aTypeOffTheGreylistStopsBeforeTheSandbox() throws IOException {
        SampleVerdict verdict = run("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "invite.ics", "text/calendar");

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("file_type_on_greylist");
        assertThat(cortexSource.computed()).isZero();
    }

    @Test
    void aGreylistedFileTheSandboxFindsCleanGoesThroughEveryRuleOnOneSandboxRun() throws IOException {
        cortex.with("CuckooSandboxFileReport", Report.clean());

        SampleVerdict verdict = run("%PDF-1.4\n1 0 obj\n<< >>\nendobj\n", "invoice.pdf", "application/pdf");

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("final_rule");
        assertThat(verdict.report()).extracting(RuleResult::rule).containsExactly(
                "known", "file_larger_than", "file_type_on_whitelist", "file_type_on_greylist", "expressions",
                "cuckoo_evil_sig", "cuckoo_score", "cuckoo_analysis_failed", "final_rule");
        assertThat(verdict.report().get(4).reason()).isEqualTo("No expression classified the sample");
        assertThat(verdict.report().get(6).reason()).isEqualTo("Sandbox score < 4.0: 0.5");
        assertThat(cortex.asked()).containsExactly("CuckooSandboxFileReport");
    }

    @Test
    void aGreylistedFileScoringHighInTheSandboxIsBad() throws IOException {
        SampleVerdict verdict = run("%PDF-1.4\n1 0 obj\n<< /JS 1 >>\nendobj\n", "invoice.pdf", "application/pdf");

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("cuckoo_score");
        assertThat(verdict.reason()).isEqualTo("Sandbox score >= 4.0: 8.0");
    }

    @Test
    void anOfficeFileWithAMacroThatScoresHighInTheSandboxIsBad() throws IOException {
        SampleVerdict verdict = run("\u00d0\u00cf\u0011\u00e0 macros", "invoice.doc", "application/msword");

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("expressions");
        assertThat(verdict.reason()).isEqualTo("The expression expression.3 classified the sample as bad");
    }

    @Test
    void aKnownSampleIsAnsweredBeforeTheSandbox() throws IOException {
        Sample sample = new TestSamples(dir).sample("%PDF-1.4 known", "invoice.pdf", "application/pdf");
        known.add(sample.identity(), new StoredResult(1, Result.BAD, "bad before", Instant.EPOCH));

        assertThat(loaded.ruleset().run(sample, 2).result()).isEqualTo(Result.BAD);
    }

    private SampleVerdict run(String content, String name, String type) throws IOException {
        return loaded.ruleset().run(new TestSamples(dir).sample(content, name, type), 1);
    }

}
