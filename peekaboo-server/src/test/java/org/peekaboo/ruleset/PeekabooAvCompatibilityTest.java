package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.CortexSettingsLoader;
import org.peekaboo.config.IniDocument;
import org.peekaboo.cortex.CortexClient;
import org.peekaboo.cortex.CortexReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.ruleset.testing.FakeSandbox.Report;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * A site's PeekabooAV configuration on Peekaboo: the sample ruleset with every rule and
 * expression enabled and an analyzers.conf load, and the ruleset judges samples sensibly
 * with real file types and macro analysis and a fake {@code cortexreport}.
 */
class PeekabooAvCompatibilityTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final String PDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";

    private final FakeKnownResults known = new FakeKnownResults();
    private final FakeReport cortex = new FakeReport("cortexreport")
            .with("VirusTotalQueryReport", new FakeReport("VirusTotalQueryReport").with("n_of_all", 3L))
            .with("CuckooSandboxFileReport", Report.clean());
    private final FakeReportSource cortexSource = FakeReportSource.of("cortexreport", cortex);
    private Path rulesetFile;
    private Ruleset ruleset;

    @TempDir
    Path dir;

    @BeforeEach
    void load() throws URISyntaxException {
        rulesetFile = resource("peekabooav-ruleset-all-enabled.conf");
        LoadedRuleset loaded = loader(List.of(cortexSource)).load(rulesetFile);
        assertThat(loaded.warnings()).isEmpty();
        ruleset = loaded.ruleset();
    }

    @Test
    void theAnalyzersConfLoadsAndItsCortexReportAcceptsEveryExpression() throws URISyntaxException, IOException {
        // A copy kept from other users, as a file holding the API key must be on a gateway.
        Path analyzersConf = Files.copy(resource("peekabooav-analyzers.conf"), dir.resolve("analyzers.conf"));
        Files.setPosixFilePermissions(analyzersConf, PosixFilePermissions.fromString("rw-r-----"));
        CortexSettingsLoader.Loaded analyzers = CortexSettingsLoader.load(analyzersConf, Map.of());

        assertThat(analyzers.settings().url()).isEqualTo(URI.create("http://127.0.0.1:9001"));
        assertThat(analyzers.settings().tlp()).isEqualTo(2);
        assertThat(analyzers.settings().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(analyzers.settings().maxJobAge()).isEqualTo(Duration.ofSeconds(900));
        assertThat(analyzers.warnings()).singleElement().asString().contains("[cuckoo]", "empty section ignored");
        try (CortexClient client = new CortexClient(analyzers.settings(), Clock.systemUTC())) {
            LoadedRuleset loaded = loader(List.of(new CortexReportSource(client, analyzers.settings())))
                    .load(rulesetFile);
            assertThat(loaded.warnings()).isEmpty();
            assertThat(loaded.ruleset().rules()).extracting(Rule::name).containsExactly("known", "file_larger_than",
                    "file_type_on_whitelist", "file_type_on_greylist", "office_macro",
                    "office_macro_with_suspicious_keyword", "expressions", "cuckoo_evil_sig", "cuckoo_score",
                    "requests_evil_domain", "cuckoo_analysis_failed", "contains_peekabooyar", "final_rule");
        }
    }

    @Test
    void peekabooAvsCuckooreportExpressionReadsTheSandboxReportOfCortex() throws IOException {
        String expression4 = Files.readString(rulesetFile).lines().dropWhile(line -> !line.startsWith("expression.4"))
                .takeWhile(line -> !line.startsWith("expression.5")).reduce("", (a, b) -> a + b + "\n");
        Ruleset onlyExpression4 = loader(List.of(cortexSource)).load(IniDocument.parse(rulesetFile,
                "[rules]\nrule.1 : expressions\n[expressions]\n" + expression4)).ruleset();
        byte[] doc = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Sub AutoOpen()", "End Sub"));

        cortex.with("CuckooSandboxFileReport", Report.clean().withScore(4.5));
        SampleVerdict high = onlyExpression4.run(sample(doc, "invoice.doc", "application/msword"), 1);
        cortex.with("CuckooSandboxFileReport", Report.clean().withScore(4.0));
        SampleVerdict low = onlyExpression4.run(sample(doc, "invoice.doc", "application/msword"), 2);

        assertThat(expression4).contains("cuckooreport.score > 4 -> bad");
        assertThat(high.result()).isEqualTo(Result.BAD);
        assertThat(high.reason()).isEqualTo("The expression expression.4 classified the sample as bad");
        assertThat(low.result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void anOfficeDocumentWithAMacroIsBadWithoutAskingCortex() throws IOException {
        byte[] doc = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Sub AutoOpen()",
                "  CreateObject(\"WScript.Shell\").Run \"powershell -enc AAAA\"", "End Sub"));

        SampleVerdict verdict = ruleset.run(sample(doc, "invoice.doc", "application/msword"), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("office_macro");
        assertThat(verdict.reason()).isEqualTo("The file contains an Office macro");
        assertThat(cortexSource.computed()).isZero();
    }

    @Test
    void anOfficeDocumentWithoutMacrosGoesOnToCortex() throws IOException {
        byte[] doc = OfficeFiles.doc(Map.of());

        SampleVerdict verdict = ruleset.run(sample(doc, "letter.doc", "application/msword"), 1);

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("final_rule");
        assertThat(verdict.report().get(4).reason()).isEqualTo("The file contains no Office macro");
    }

    @Test
    void aCleanTextFileIsIgnoredByTheWhitelist() throws IOException {
        SampleVerdict verdict = ruleset.run(sample("Dear all,\nthe minutes are below.\n", "minutes.txt",
                "text/plain"), 1);

        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
        assertThat(verdict.rule()).isEqualTo("file_type_on_whitelist");
        assertThat(cortexSource.computed()).isZero();
    }

    @Test
    void aPdfVirusTotalFindsCleanIsUnknownWithoutASandboxRun() throws IOException {
        cortex.with("VirusTotalQueryReport", new FakeReport("VirusTotalQueryReport").with("n_of_all", 0L));

        SampleVerdict verdict = ruleset.run(sample(PDF, "invoice.pdf", "application/pdf"), 1);

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.reason()).isEqualTo("The expression expression.6 classified the sample as unknown");
        assertThat(cortex.asked()).containsExactly("VirusTotalQueryReport");
    }

    @Test
    void aPdfTheSandboxFindsCleanPassesEveryRuleOnOneSandboxRun() throws IOException {
        SampleVerdict verdict = ruleset.run(sample(PDF, "invoice.pdf", "application/pdf"), 1);

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.report()).extracting(RuleResult::rule).containsExactlyElementsOf(
                ruleset.rules().stream().map(Rule::name).toList());
        assertThat(cortex.asked()).containsExactly("VirusTotalQueryReport", "CuckooSandboxFileReport",
                "CuckooSandboxFileReport");
        assertThat(cortexSource.computed()).isEqualTo(1);
    }

    @Test
    void aPdfWhoseSandboxRunShowsRansomwareIsBad() throws IOException {
        cortex.with("CuckooSandboxFileReport", Report.clean().withSignatures("Appears to be Ransomware"));

        SampleVerdict verdict = ruleset.run(sample(PDF, "invoice.pdf", "application/pdf"), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.reason()).isEqualTo("The following signatures have been recognized: Appears to be Ransomware");
    }

    @Test
    void aPdfScoringHighOrCallingAnEvilDomainIsBad() throws IOException {
        cortex.with("CuckooSandboxFileReport", Report.clean().withScore(5.0));
        assertThat(ruleset.run(sample(PDF, "a.pdf", "application/pdf"), 1).rule()).isEqualTo("cuckoo_score");

        cortex.with("CuckooSandboxFileReport", Report.clean().withDomains("tracker.canarytokens.com", "canarytokens.com"));
        SampleVerdict verdict = ruleset.run(sample(PDF, "b.pdf", "application/pdf"), 2);
        assertThat(verdict.rule()).isEqualTo("requests_evil_domain");
        assertThat(verdict.result()).isEqualTo(Result.BAD);
    }

    @Test
    void aPdfCarryingTheTestMarkerIsBad() throws IOException {
        SampleVerdict verdict = ruleset.run(sample(PDF + ContainsPeekabooYarRule.MARKER, "test.pdf", null), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("contains_peekabooyar");
    }

    @Test
    void aPdfIsFailedNeverPassedWhenCortexCannotAnswer() throws IOException {
        cortex.failing("CuckooSandboxFileReport", new IOException("Cortex at http://127.0.0.1:9001: connection refused"));

        SampleVerdict verdict = ruleset.run(sample(PDF, "invoice.pdf", "application/pdf"), 1);

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
        assertThat(verdict.rule()).isEqualTo("expressions");
        assertThat(verdict.reason()).startsWith("Expression expression.8 could not get"
                + " cortexreport.CuckooSandboxFileReport").contains("connection refused");
    }

    @Test
    void aSampleSeenRecentlyGetsItsEarlierResult() throws IOException {
        Sample seen = sample(PDF, "invoice.pdf", "application/pdf");
        known.add(seen.identity(), new StoredResult(7, Result.BAD, "bad before", NOW.minus(Duration.ofDays(2))));

        SampleVerdict verdict = ruleset.run(seen, 8);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("known");
    }

    private RulesetLoader loader(List<ReportSource<?>> reports) {
        return new RulesetLoader(known, new TikaFileTypeDetector(), Clock.fixed(NOW, ZoneOffset.UTC),
                OfficeReports.with(reports));
    }

    private Path resource(String name) throws URISyntaxException {
        return Path.of(getClass().getResource(name).toURI());
    }

    private Sample sample(String content, String name, String type) throws IOException {
        return sample(content.getBytes(StandardCharsets.ISO_8859_1), name, type);
    }

    private Sample sample(byte[] content, String name, String type) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "sample", ""), content);
        return TestContents.read(file, new SampleDeclaration(file.toString(), name, type, null));
    }
}
