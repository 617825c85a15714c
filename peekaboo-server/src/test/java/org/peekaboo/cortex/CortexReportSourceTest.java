package org.peekaboo.cortex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.IniDocument;
import org.peekaboo.config.Secret;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/**
 * {@code cortexreport} as expressions will use it: attribute paths, one job per analyzer, failures
 * thrown; and PeekabooAV's {@code cuckooreport}, judged from the report the CuckooSandbox analyzer
 * returns (the emulator answers with reports shaped like the analyzer's) and never passing a
 * sample when that report is missing or says nothing.
 */
class CortexReportSourceTest {
    private static final Path FILE = Path.of("/etc/peekaboo/ruleset.conf");
    private static final String CUCKOO = "CuckooSandbox_File_Analysis_Inet_1_2";

    @TempDir
    Path dir;

    private CortexEmulator cortex;
    private CortexClient client;
    private CortexReportSource source;

    @BeforeEach
    void start() throws Exception {
        cortex = CortexEmulator.start(Clock.systemUTC(), "");
        CortexSettings settings = CortexSettings.of(cortex.url(), new Secret(CortexEmulator.ANALYZE_KEY))
                .withPollInterval(Duration.ofMillis(20)).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), 1);
        client = new CortexClient(settings, Clock.systemUTC(), Duration.ofMillis(10));
        source = new CortexReportSource(client, settings);
    }

    @AfterEach
    void stop() {
        client.close();
        cortex.close();
    }

    private SampleContext context() throws Exception {
        return new SampleContext(new TestSamples(dir).sample("Sub AutoOpen()", "invoice.doc", "application/msword"),
                1, FakeFileTypeDetector.nothingDetected());
    }

    @Test
    void attributesLeadToAnalyzerReportsSubmittedOncePerSample() throws Exception {
        SampleContext context = context();

        ReportObject cortexreport = context.report(source);
        ReportObject cuckoo = (ReportObject) cortexreport.attribute("CuckooSandboxFileReport");
        Object malscore = cuckoo.attribute("malscore");
        Object again = ((ReportObject) context.report(source).attribute("CuckooSandboxFileReport"))
                .attribute("signatures");
        Object sha256 = ((ReportObject) cortexreport.attribute("FileInfoReport")).attribute("sha256sum");

        assertThat(source.name()).isEqualTo("cortexreport");
        assertThat(cortexreport.attributeNames()).containsExactlyInAnyOrder("FileInfoReport",
                "VirusTotalQueryReport", "HybridAnalysisReport", "CuckooSandboxFileReport", "CAPEv2FileReport");
        assertThat(cuckoo.attributeNames()).contains("malscore", "signatures", "domain_artifacts", "hash_artifacts",
                "ip_artifacts");
        assertThat(malscore).isEqualTo(8.2);
        assertThat(again).asList().hasSize(3);
        assertThat(sha256).isEqualTo(context.sample().sha256());
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(2);
    }

    @Test
    void failedAnalysisAndUnknownAttributesThrow() throws Exception {
        cortex.analyzer("CuckooSandbox_File_Analysis_Inet_1_2").fails("Unexpected Error: 'message'");
        ReportObject cortexreport = context().report(source);

        Throwable failed = catchThrowable(() -> cortexreport.attribute("CuckooSandboxFileReport"));
        Throwable unknown = catchThrowable(() -> cortexreport.attribute("CuckooReport"));
        Throwable unknownNested = catchThrowable(() ->
                ((ReportObject) cortexreport.attribute("FileInfoReport")).attribute("malscore"));

        assertThat(failed).isInstanceOf(CortexException.class).hasMessageContaining("Unexpected Error: 'message'");
        assertThat(unknown).isInstanceOf(ReportObject.UnknownAttributeException.class)
                .hasMessage("cortexreport has no attribute 'CuckooReport'");
        assertThat(unknownNested).isInstanceOf(ReportObject.UnknownAttributeException.class)
                .hasMessage("cortexreport.FileInfoReport has no attribute 'malscore'");
    }

    @Test
    void itsShapeStopsTheStartOnATypoWithLineAndColumn() {
        RulesetLoader loader = loader();
        String rules = """
                [rules]
                rule.1 : final_rule
                [expressions]
                expression.1 : True -> ignore
                expression.2 : sample.file_size > 5 and %s -> bad
                """;

        assertThat(loader.load(IniDocument.parse(FILE, rules.formatted(
                "cortexreport.FileInfoReport.sha256sum in cortexreport.VirusTotalQueryReport.hash_artifacts"
                        + " and cortexreport.HybridAnalysisReport.full.results"
                        + " and cortexreport.CAPEv2FileReport.malscore > 5"))).ruleset().rules()).hasSize(1);
        assertThatThrownBy(() -> loader.load(IniDocument.parse(FILE, rules.formatted(
                "cortexreport.FileInfoReport.sha256 == ''"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/peekaboo/ruleset.conf:5: [expressions] expression.2: column 26:"
                        + " cortexreport.FileInfoReport has no attribute 'sha256'; it has sha256sum, md5sum, sha1sum,"
                        + " ssdeepsum, filetype, mimetype, domain_artifacts, hash_artifacts, ip_artifacts");
        assertThatThrownBy(() -> loader.load(IniDocument.parse(FILE, rules.formatted(
                "cortexreport.CuckooSandboxReport.malscore > 4"))))
                .hasMessageStartingWith("/etc/peekaboo/ruleset.conf:5: [expressions] expression.2: column 26:"
                        + " cortexreport has no attribute 'CuckooSandboxReport'; it has FileInfoReport,"
                        + " VirusTotalQueryReport, HybridAnalysisReport, CuckooSandboxFileReport, CAPEv2FileReport");
        assertThatThrownBy(() -> loader.load(IniDocument.parse(FILE, rules.formatted(
                "cortexreport.CuckooSandboxFileReport.malscore.value > 4"))))
                .hasMessageStartingWith("/etc/peekaboo/ruleset.conf:5: [expressions] expression.2: column 26:"
                        + " cortexreport.CuckooSandboxFileReport.malscore is a plain value");
    }

    @Test
    void everyAttributeOfPeekabooAvsCuckooreportIsReadFromTheSandboxReport() throws Exception {
        // CuckooSandbox.json: malscore 8.2, three signatures, two resolved domains, evil.example also an artifact.
        Ruleset ruleset = ruleset("""
                expression.1 : cuckooreport.score != 8.2 -> fail
                expression.2 : cuckooreport.signature_descriptions != ['Creates a suspicious process',
                    'Office document spawns a shell', 'Connects to a known command and control host'] -> fail
                expression.3 : cuckooreport.requested_domains != ['evil.example', 'cdn.example'] -> fail
                expression.4 : cuckooreport.errors != [] or cuckooreport.server_messages != [] -> fail
                expression.5 : cuckooreport.url is not None -> fail
                expression.6 : /shell/ in cuckooreport.signature_descriptions
                    and 'evil.example' in cuckooreport.requested_domains and cuckooreport.score > 4 -> bad
                """);

        SampleVerdict verdict = ruleset.run(doc(), 1);

        assertThat(verdict.reason()).isEqualTo("The expression expression.6 classified the sample as bad");
        assertThat(verdict.result()).isEqualTo(Result.BAD);
    }

    @Test
    void cuckooreportAndTheSandboxRulesShareOneSandboxRun() throws Exception {
        Ruleset ruleset = loader().load(IniDocument.parse(FILE, """
                [rules]
                rule.1 : expressions
                rule.2 : cuckoo_score
                rule.3 : final_rule
                [expressions]
                expression.1 : cuckooreport.score > 10 -> bad
                [cuckoo_score]
                higher_than : 8.0
                """)).ruleset();

        SampleVerdict verdict = ruleset.run(doc(), 1);

        assertThat(verdict.rule()).isEqualTo("cuckoo_score");
        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(1);
    }

    @Test
    void aReportWithoutScoreGivesNoneWhichNoComparisonPasses() throws Exception {
        cortex.analyzer(CUCKOO).succeeds("CuckooSandbox-null-malscore");
        Ruleset ruleset = ruleset("expression.1 : cuckooreport.score < 1 -> good\n");

        SampleVerdict verdict = ruleset.run(doc(), 1);

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
        assertThat(verdict.reason()).startsWith("Expression expression.1 cannot be evaluated");
    }

    @Test
    void aSandboxRunThatFailsFailsTheSampleInsteadOfPassingIt() throws Exception {
        cortex.analyzer(CUCKOO).fails("Unexpected Error: 'message'");
        Ruleset ruleset = ruleset("""
                expression.1 : cuckooreport.score < 1 -> good
                expression.2 : True -> ignore
                """);

        SampleVerdict verdict = ruleset.run(doc(), 1);

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
        assertThat(verdict.reason()).startsWith("Expression expression.1 could not get");
    }

    private RulesetLoader loader() {
        return new RulesetLoader(new FakeKnownResults(), FakeFileTypeDetector.nothingDetected(), Clock.systemUTC(),
                List.of(source));
    }

    /** A ruleset of the expressions rule alone. */
    private Ruleset ruleset(String expressions) {
        return loader().load(IniDocument.parse(FILE, "[rules]\nrule.1 : expressions\n[expressions]\n" + expressions))
                .ruleset();
    }

    private Sample doc() throws Exception {
        return context().sample();
    }
}
