package org.peekaboo.cortex;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.cortex.testing.Fault;
import org.peekaboo.cortex.testing.RecordedRequest;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.slf4j.LoggerFactory;

/** The client against the emulator: real HTTP, real JSON, Cortex's behaviour and faults. */
class CortexClientTest {
    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private CortexEmulator cortex;
    private TestSamples samples;

    @BeforeEach
    void startCortex() throws IOException {
        cortex = CortexEmulator.start(Clock.systemUTC(), "/cortex");
        closing.add(cortex);
        samples = new TestSamples(dir);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closing.reversed()) {
            closeable.close();
        }
    }

    private CortexSettings settings(URI url, String key) {
        return CortexSettings.of(url, new Secret(key)).withPollInterval(POLL)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), 2);
    }

    private CortexClient client(CortexSettings settings, Clock clock) {
        CortexClient client = new CortexClient(settings, clock, Duration.ofMillis(10));
        closing.add(client);
        return client;
    }

    private CortexClient client() {
        return client(settings(cortex.url(), CortexEmulator.ANALYZE_KEY), Clock.systemUTC());
    }

    private Sample invoice() throws IOException {
        return samples.sample("%PDF-1.4 an invoice", "Rechnung März.pdf", "application/pdf");
    }

    private static AnalyzerReport report(CompletableFuture<AnalyzerReport> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    /** The failure message; the future must not yield a report. */
    private static String failure(CompletableFuture<AnalyzerReport> future) throws Exception {
        try {
            AnalyzerReport report = future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + report);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(CortexException.class);
            return e.getCause().getMessage();
        }
    }

    @Test
    void fileInfoReportOfAFileUploadedAsMultipartWithBearerKeyAndPathPrefix() throws Exception {
        Sample sample = invoice();

        FileInfoReport report = (FileInfoReport) report(client().analyze(sample, CortexAnalyzer.FILE_INFO));

        assertThat(report.sha256sum()).isEqualTo(sample.sha256());
        assertThat(report.attribute("sha256sum")).isEqualTo(sample.sha256());
        assertThat(report.md5sum()).hasSize(32);
        assertThat(report.ssdeepsum()).isEqualTo("3:hMCEpFZn:hurZn");
        assertThat(report.filetype()).isEqualTo("PDF");
        assertThat(report.attribute("domain_artifacts")).isEqualTo(List.of());
        RecordedRequest run = cortex.requests(r -> r.path().endsWith("/run")).getFirst();
        assertThat(run.path()).isEqualTo("/api/analyzer/" + cortex.analyzer("FileInfo_8_0").id() + "/run");
        assertThat(run.header("Authorization")).contains("Bearer " + CortexEmulator.ANALYZE_KEY);
        assertThat(run.header("Content-Type").orElseThrow()).startsWith("multipart/form-data; boundary=peekaboo-");
        assertThat(run.header("Cookie")).isEmpty();
        JsonNode json = new ObjectMapper().readTree(run.part("_json").orElseThrow().text());
        assertThat(json.path("dataType").asText()).isEqualTo("file");
        assertThat(json.path("tlp").asInt()).isEqualTo(2);
        RecordedRequest.Part file = run.part("attachment").orElseThrow();
        assertThat(file.fileName()).isEqualTo("Rechnung März.pdf");
        assertThat(file.contentType()).startsWith("application/pdf");
        assertThat(file.text()).isEqualTo("%PDF-1.4 an invoice");
        RecordedRequest lookup = cortex.requests("POST", "/api/analyzer/_search").getFirst();
        assertThat(lookup.query()).isEqualTo("range=all");
    }

    @Test
    void everyAnalyzerDeliversItsReport() throws Exception {
        CortexClient client = client();
        Sample sample = invoice();

        VirusTotalQueryReport vt = (VirusTotalQueryReport) report(client.analyze(sample, CortexAnalyzer.VIRUS_TOTAL));
        HybridAnalysisReport ha = (HybridAnalysisReport) report(client.analyze(sample, CortexAnalyzer.HYBRID_ANALYSIS));
        CuckooSandboxFileReport cuckoo = (CuckooSandboxFileReport) report(
                client.analyze(sample, CortexAnalyzer.CUCKOO_SANDBOX));
        CAPEv2FileReport cape = (CAPEv2FileReport) report(client.analyze(sample, CortexAnalyzer.CAPE));

        assertThat(vt.n_of_all()).isEqualTo(37);
        assertThat(vt.level()).isEqualTo("malicious");
        assertThat(vt.attribute("domain_artifacts")).isEqualTo(List.of("evil.example"));
        assertThat(vt.attribute("ip_artifacts")).isEqualTo(List.of("203.0.113.7"));
        assertThat(vt.artifacts().hashes()).hasSize(1);
        assertThat(ha.verdict()).isEqualTo("malicious");
        assertThat(ha.threat_score()).isEqualTo(100);
        assertThat(((JsonReportObject) ha.full()).attribute("results")).asList().hasSize(2);
        assertThat(cuckoo.attribute("malscore")).isEqualTo(8.2);
        assertThat(cuckoo.findings().signatures()).contains("Office document spawns a shell");
        assertThat(cuckoo.findings().domains()).containsExactly("evil.example", "cdn.example");
        assertThat(cuckoo.findings().malfamily()).isEqualTo("Emotet");
        assertThat(cape.findings().malscore()).isEqualTo(4.0);
        assertThat(cape.findings().signatures()).containsExactly("Checks for the presence of a virtual machine");
        assertThat(cape.findings().malfamily()).isNull();
        RecordedRequest hashRun = cortex.requests(r -> r.path().equals("/api/analyzer/"
                + cortex.analyzer("VirusTotal_GetReport_3_1").id() + "/run")).getFirst();
        assertThat(hashRun.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(new ObjectMapper().readTree(hashRun.body()).path("data").asText()).isEqualTo(sample.sha256());
    }

    @Test
    void reportsWithFailedSubmodulesAndEmptySummariesAreReadAsAbsentParts() throws Exception {
        cortex.analyzer("FileInfo_8_0").succeeds("FileInfo-oletools");
        cortex.analyzer("CuckooSandbox_File_Analysis_Inet_1_2").succeeds("CuckooSandbox-null-malscore");
        CortexClient client = client();
        Sample sample = invoice();

        FileInfoReport fileInfo = (FileInfoReport) report(client.analyze(sample, CortexAnalyzer.FILE_INFO));
        CuckooSandboxFileReport cuckoo = (CuckooSandboxFileReport) report(
                client.analyze(sample, CortexAnalyzer.CUCKOO_SANDBOX));

        assertThat(fileInfo.filetype()).isEqualTo("DOC");
        assertThat(fileInfo.sha256sum()).isEqualTo(sample.sha256());
        assertThat(cuckoo.findings().malscore()).isEqualTo(-1.0);
        assertThat(cuckoo.findings().signatures()).isEmpty();
        assertThat(cuckoo.findings().domains()).isEmpty();
    }

    @Test
    void identicalContentIsSubmittedOnceAndLaterSamplesShareTheCachedJob() throws Exception {
        cortex.analyzer("FileInfo_8_0").takes(Duration.ZERO, Duration.ofMillis(200));
        CortexClient client = client();
        Sample first = samples.sample("same bytes", "a.txt", "text/plain");
        Sample second = samples.sample("same bytes", "b.txt", "text/plain");

        CompletableFuture<AnalyzerReport> one = client.analyze(first, CortexAnalyzer.FILE_INFO);
        CompletableFuture<AnalyzerReport> two = client.analyze(second, CortexAnalyzer.FILE_INFO);
        report(one);
        report(two);
        AnalyzerReport later = report(client.analyze(second, CortexAnalyzer.FILE_INFO));

        assertThat(((FileInfoReport) later).sha256sum()).isEqualTo(first.sha256());
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(2);
        assertThat(cortex.jobsCreated()).as("the second run is answered from Cortex's job cache").isEqualTo(1);
        assertThat(client.pendingJobs()).isZero();
    }

    @Test
    void oneStatusRequestPerPollRoundForManyPendingJobs() throws Exception {
        cortex.analyzer("FileInfo_8_0").takes(Duration.ofMillis(300), Duration.ofMillis(300));
        CortexClient client = client();
        List<CompletableFuture<AnalyzerReport>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(client.analyze(samples.sample("sample " + i, "s" + i + ".txt", "text/plain"),
                    CortexAnalyzer.FILE_INFO));
        }
        for (CompletableFuture<AnalyzerReport> future : futures) {
            report(future);
        }

        List<RecordedRequest> statusRequests = cortex.requests("POST", "/api/job/status");
        assertThat(statusRequests).hasSize((int) client.pollRounds());
        assertThat(statusRequests).as("rounds, not jobs, drive the requests").hasSizeLessThan(futures.size() * 2);
        assertThat(statusRequests.stream().mapToInt(r -> r.bodyText().split(",").length).max().orElseThrow())
                .as("one request carries many job ids").isGreaterThan(1);
        assertThat(cortex.requests(r -> r.path().endsWith("/report"))).hasSize(20);
    }

    @Test
    void failedJobCompletesExceptionallyWithCortexsErrorMessage() throws Exception {
        cortex.analyzer("CuckooSandbox_File_Analysis_Inet_1_2").fails("CuckooSandbox analysis timed out");

        String message = failure(client().analyze(invoice(), CortexAnalyzer.CUCKOO_SANDBOX));

        assertThat(message).contains("CuckooSandbox_File_Analysis_Inet_1_2", "failed in Cortex",
                "CuckooSandbox analysis timed out");
    }

    @Test
    void failureWithEmptyMessageAndTlpTooHigh() throws Exception {
        cortex.analyzer("FileInfo_8_0").fails("");
        cortex.analyzer("HybridAnalysis_GetReport_1_0").maxTlp(1);

        assertThat(failure(client().analyze(invoice(), CortexAnalyzer.FILE_INFO))).contains("(no error message)");
        assertThat(failure(client().analyze(invoice(), CortexAnalyzer.HYBRID_ANALYSIS)))
                .contains("TLP is higher than allowed.");
    }

    @Test
    void jobDeletedWhilePolledFails() throws Exception {
        cortex.analyzer("FileInfo_8_0").takes(Duration.ofDays(1), Duration.ZERO);
        CortexClient client = client();
        CompletableFuture<AnalyzerReport> future = client.analyze(invoice(), CortexAnalyzer.FILE_INFO);
        while (cortex.jobsCreated() == 0) {
            Thread.sleep(5);
        }

        cortex.deleteJob(cortex.jobIds().iterator().next());

        assertThat(failure(future)).contains("was deleted in Cortex");
    }

    @Test
    void jobStuckPastMaximumAgeFails() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        cortex.analyzer("FileInfo_8_0").takes(Duration.ZERO, Duration.ofDays(1000));
        CortexClient client = client(settings(cortex.url(), CortexEmulator.ANALYZE_KEY)
                .withMaxJobAge(Duration.ofSeconds(900)), clock);
        CompletableFuture<AnalyzerReport> future = client.analyze(invoice(), CortexAnalyzer.FILE_INFO);
        while (client.pollRounds() < 2) {
            Thread.sleep(5);
        }
        assertThat(future).isNotDone();

        clock.advance(Duration.ofSeconds(901));

        assertThat(failure(future)).contains("did not finish within [cortex] maximum_job_age 900 s",
                "last status InProgress");
    }

    @Test
    void wrongKeyAndMissingRoleAreReportedAsSuch() throws Exception {
        Sample sample = invoice();
        CortexClient wrongKey = client(settings(cortex.url(), "not-a-key"), Clock.systemUTC());
        CortexClient readOnly = client(settings(cortex.url(), CortexEmulator.READ_ONLY_KEY), Clock.systemUTC());

        assertThat(failure(wrongKey.analyze(sample, CortexAnalyzer.FILE_INFO)))
                .contains("rejected the API key (401 AuthenticationError: Authentication failure)")
                .doesNotContain("tried");
        assertThat(failure(readOnly.analyze(sample, CortexAnalyzer.FILE_INFO)))
                .contains("403 AuthorizationError", "needs the roles read and analyze");
        assertThat(cortex.requests()).noneMatch(r -> r.bodyText().contains("not-a-key")
                || r.header("Cookie").isPresent());
    }

    @Test
    void unknownAnalyzerNameIsReportedAndAnalyzerIdIsRefreshedOn404() throws Exception {
        CortexClient client = client();
        Sample sample = invoice();
        report(client.analyze(sample, CortexAnalyzer.FILE_INFO));
        cortex.changeId("FileInfo_8_0");

        AnalyzerReport again = report(client.analyze(samples.sample("other", "o.txt", "text/plain"),
                CortexAnalyzer.FILE_INFO));
        cortex.removeAnalyzer("CAPESandbox_File_Analysis_Inet_0_1");
        String missing = failure(client.analyze(sample, CortexAnalyzer.CAPE));

        assertThat(again).isInstanceOf(FileInfoReport.class);
        assertThat(cortex.requests("POST", "/api/analyzer/_search")).hasSize(3);
        assertThat(missing).contains("no analyzer named CAPESandbox_File_Analysis_Inet_0_1");
    }

    @Test
    void tooLargeSamplesAreRefusedBeforeUploadAnd413IsNotRetried() throws Exception {
        Sample big = samples.sample(new byte[4096], "big.bin", null);
        CortexClient limited = client(settings(cortex.url(), CortexEmulator.ANALYZE_KEY).withMaxFileSize(2048),
                Clock.systemUTC());
        cortex.maxUpload(1024);

        assertThat(failure(limited.analyze(big, CortexAnalyzer.FILE_INFO))).contains("max_file_size");
        assertThat(failure(client().analyze(big, CortexAnalyzer.FILE_INFO))).contains("413", "too large")
                .doesNotContain("tried");
    }

    @Test
    void rateLimitIsRetriedAfterTheAdvertisedDelay() throws Exception {
        cortex.inject("POST", ".*/run", Fault.class.cast(new Fault.Status(429, "application/json",
                "{\"type\":\"RateLimitExceeded\",\"message\":\"Rate limit of 5 per Minute reached\"}", "0")), 2);

        AnalyzerReport report = report(client().analyze(invoice(), CortexAnalyzer.FILE_INFO));

        assertThat(report).isInstanceOf(FileInfoReport.class);
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(3);
    }

    @Test
    void rateLimitThatPersistsFailsAfterTheRetries() throws Exception {
        cortex.analyzer("FileInfo_8_0").rateLimit(1, Duration.ofHours(1)).jobCache(Duration.ZERO);
        CortexClient client = client();
        report(client.analyze(invoice(), CortexAnalyzer.FILE_INFO));

        String message = failure(client.analyze(samples.sample("x", "x.txt", null), CortexAnalyzer.FILE_INFO));

        assertThat(message).contains("rate limit reached (429 RateLimitExceeded", "(tried 3 times)");
    }

    @Test
    void serverErrorsOnReadsAreRetriedAndFailPreciselyWhenTheyPersist() throws Exception {
        cortex.inject("POST", "/api/analyzer/_search", Fault.noNodeAvailable(), 1);
        cortex.inject("POST", "/api/job/status", Fault.notInitialised(), 1);
        cortex.inject("GET", "/api/job/.*/report", Fault.proxyError(502), 1);
        CortexClient client = client();

        assertThat(report(client.analyze(invoice(), CortexAnalyzer.FILE_INFO))).isInstanceOf(FileInfoReport.class);

        cortex.inject("POST", "/api/analyzer/_search", Fault.javaException(), 10);
        cortex.removeAnalyzer("FileInfo_8_0");
        cortex.addAnalyzer("VirusTotal_GetReport_3_1-unused", "VirusTotal", java.util.Set.of("hash"));
        String message = failure(client.analyze(invoice(), CortexAnalyzer.VIRUS_TOTAL));
        assertThat(message).contains("analyzer lookup of VirusTotal_GetReport_3_1",
                "500 java.lang.ClassCastException", "(tried 3 times)");
    }

    @Test
    void htmlErrorPageIsNamedAndRunIsNotRetriedOn500() throws Exception {
        cortex.inject("POST", ".*/run", new Fault.Status(500, "text/html",
                "<html><head><title>Internal Server Error</title></head><body>oops</body></html>", null), 1);

        String message = failure(client().analyze(invoice(), CortexAnalyzer.FILE_INFO));

        assertThat(message).contains("500", "an HTML page \"Internal Server Error\"").doesNotContain("tried");
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(1);
    }

    @Test
    void truncatedJsonAndWrongContentTypeOnReadsAreRetried() throws Exception {
        cortex.inject("GET", "/api/job/.*/report", new Fault.Truncated(), 1);
        cortex.inject("POST", "/api/job/status", new Fault.WrongContentType(), 1);

        assertThat(report(client().analyze(invoice(), CortexAnalyzer.FILE_INFO))).isInstanceOf(FileInfoReport.class);
        assertThat(cortex.requests(r -> r.path().endsWith("/report"))).hasSize(2);
    }

    @Test
    void truncatedRunAnswerFailsWithoutASecondSubmission() throws Exception {
        cortex.inject("POST", ".*/run", new Fault.Truncated(), 1);

        assertThat(failure(client().analyze(invoice(), CortexAnalyzer.FILE_INFO))).contains("broken JSON");
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(1);
    }

    @Test
    void connectionDroppedAfterTheJobWasCreatedIsNotSubmittedAgain() throws Exception {
        cortex.inject("POST", ".*/run", new Fault.DropAfter(), 1);

        String message = failure(client().analyze(invoice(), CortexAnalyzer.FILE_INFO));

        assertThat(message).contains("broke before the answer was complete");
        assertThat(cortex.jobsCreated()).isEqualTo(1);
        assertThat(cortex.requests(r -> r.path().endsWith("/run"))).hasSize(1);
    }

    @Test
    void connectionDroppedOnReadsIsRetried() throws Exception {
        cortex.inject("POST", "/api/job/status", new Fault.DropBefore(), 1);
        cortex.inject("GET", "/api/job/.*/report", new Fault.DropBefore(), 1);

        assertThat(report(client().analyze(invoice(), CortexAnalyzer.FILE_INFO))).isInstanceOf(FileInfoReport.class);
    }

    @Test
    void slowAndDrippingAnswersEndAtTheRequestTimeout() throws Exception {
        CortexClient client = client(settings(cortex.url(), CortexEmulator.ANALYZE_KEY)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300), 0), Clock.systemUTC());
        cortex.inject("POST", "/api/analyzer/_search", new Fault.Slow(Duration.ofSeconds(2)), 1);
        cortex.inject("GET", "/api/job/.*/report", new Fault.Drip(Duration.ofSeconds(2)), 1);

        assertThat(failure(client.analyze(invoice(), CortexAnalyzer.FILE_INFO)))
                .contains("analyzer lookup", "no complete answer within 300 ms");
        assertThat(failure(client.analyze(invoice(), CortexAnalyzer.FILE_INFO)))
                .contains("report of job", "no complete answer within 300 ms");
    }

    @Test
    void refusedConnectionsAreRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CortexClient client = client(settings(URI.create("http://127.0.0.1:" + port), CortexEmulator.ANALYZE_KEY),
                Clock.systemUTC());

        String message = failure(client.analyze(invoice(), CortexAnalyzer.FILE_INFO));

        assertThat(message).contains("cannot connect to 127.0.0.1:" + port, "(tried 3 times)");
    }

    /**
     * Once a request has found Cortex unreachable after its retries, later samples fail at once
     * as "Cortex unavailable" without a request of their own, one probe asks for Cortex's status
     * until it answers, and then samples get reports again; the outage is logged once each way.
     */
    @Test
    void aKnownOutageFailsRequestsAtOnceWhileOneProbeWatchesAndEndsByItself() throws Exception {
        Logger outageLog = (Logger) LoggerFactory.getLogger(CortexOutage.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        outageLog.addAppender(log);
        try {
            CortexClient client = client();
            cortex.inject("POST", "/api/analyzer/_search", Fault.proxyError(503), Integer.MAX_VALUE);
            cortex.inject("GET", "/api/status", Fault.proxyError(503), Integer.MAX_VALUE);

            assertThat(failure(client.analyze(invoice(), CortexAnalyzer.FILE_INFO)))
                    .contains("503", "(tried 3 times)");
            int lookupsBefore = cortex.requests("POST", "/api/analyzer/_search").size();
            List<Throwable> failures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Sample sample = samples.sample("during the outage " + i, "outage-" + i + ".txt", "text/plain");
                try {
                    client.analyze(sample, CortexAnalyzer.FILE_INFO).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }

            assertThat(client.failing()).as("what peekaboo status shows").hasValueSatisfying(failing ->
                    assertThat(failing.diagnosis()).contains("503"));
            assertThat(failures).hasSize(20).allSatisfy(failure -> {
                assertThat(failure).isInstanceOf(CortexException.class).hasMessageContaining("Cortex unavailable");
                assertThat(((CortexException) failure).unavailable()).isTrue();
            });
            assertThat(cortex.requests("POST", "/api/analyzer/_search")).as("requests sent during the outage")
                    .hasSize(lookupsBefore);
            assertThat(cortex.requests(r -> r.path().endsWith("/run"))).isEmpty();

            cortex.clearFaults();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            AnalyzerReport report = null;
            while (report == null) {
                try {
                    report = client.analyze(invoice(), CortexAnalyzer.FILE_INFO).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(((CortexException) e.getCause()).unavailable()).as("%s", e.getCause()).isTrue();
                    assertThat(System.nanoTime()).as("waiting for the probe to see Cortex back").isLessThan(deadline);
                    Thread.sleep(50);
                }
            }

            assertThat(report).isInstanceOf(FileInfoReport.class);
            assertThat(client.failing()).as("once Cortex answers again").isEmpty();
            assertThat(cortex.requests("GET", "/api/status")).as("probes").isNotEmpty();
            assertThat(log.list).extracting(event -> event.getLevel() + " " + event.getFormattedMessage())
                    .satisfiesExactly(
                            down -> assertThat(down).startsWith("WARN ").contains("unavailable since", "503"),
                            back -> assertThat(back).startsWith("INFO ").contains("available again"));
        } finally {
            outageLog.detachAppender(log);
        }
    }

    @Test
    void missingBatchStatusEndpointFailsJobsWithTheVersionNeeded() throws Exception {
        cortex.inject("POST", "/api/job/status", new Fault.Status(404, "text/html",
                "<html><head><title>Action Not Found</title></head></html>", null), 1);

        assertThat(failure(client().analyze(invoice(), CortexAnalyzer.FILE_INFO))).contains("Cortex 3.1.5 or later");
    }
}
