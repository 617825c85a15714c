package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.peekaboo.config.CortexSettings.AnalyzerNames;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.PeekabooConfigLoader;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.cortex.testing.Fault;
import org.peekaboo.cortex.testing.RecordedRequest;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.db.testing.TcpProxy;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.Verdict;

/**
 * The whole pipeline as an operator sets it up: a peekaboo.conf naming a ruleset.conf whose
 * expressions ask Cortex, and an analyzers.conf pointing at Cortex (the emulator, behind a
 * proxy that can refuse connections); the daemon started from those files, asked over its Unix
 * socket as amavis asks. Cortex breaking in any way must answer {@code unchecked}, never
 * {@code good}, and must not stick: the sender's retry gets the real verdict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CortexPipelineIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    /** The sandbox report of the emulator's template scores 8.2. */
    private static final String RULESET = """
            [rules]
            rule.1: known
            rule.2: file_larger_than
            rule.3: file_type_on_whitelist
            rule.4: file_type_on_greylist
            rule.5: expressions
            rule.6: final_rule

            [file_larger_than]
            bytes: 5

            [file_type_on_whitelist]
            whitelist.1: text/plain

            [file_type_on_greylist]
            greylist.1: application/pdf
            greylist.2: application/msword
            greylist.3: application/x-tika-msoffice

            [expressions]
            expression.1: sample.file_extension in {'doc', 'docm', 'xls', 'xlsm'}
                and olereport.has_office_macros
                and cortexreport.CuckooSandboxFileReport.malscore > 4.0 -> bad
            expression.2: sample.file_extension == 'pdf'
                and cortexreport.FileInfoReport.sha256sum == sample.sha256sum
                and cortexreport.FileInfoReport.mimetype in /^application\\/pdf/ -> ignore
            """;

    /** Ways Cortex fails a sample; each must end unchecked and heal by itself. */
    enum Outage { REFUSED, SERVER_ERROR, JOB_FAILED }

    @TempDir
    static Path dir;

    private CortexEmulator cortex;
    private TcpProxy proxy;
    private Path files;
    private Path socket;
    private Daemon daemon;
    private int documentNumber;

    @BeforeAll
    void start() throws IOException {
        cortex = CortexEmulator.start(Clock.systemUTC(), "");
        proxy = new TcpProxy("127.0.0.1", cortex.url().getPort());
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        socket = dir.resolve("run/peekaboo.sock");
        daemon = start(writeConfig(dir.resolve("etc"), proxy.port(), socket, "[db]\n"));
    }

    @AfterAll
    void stop() {
        // None of these closes throws; the daemon goes first so that it is not left polling a closed Cortex.
        if (daemon != null) {
            daemon.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (cortex != null) {
            cortex.close();
        }
    }

    @Test
    void anOfficeMacroThatTheSandboxScoresHighIsBad() throws IOException {
        byte[] document = macroDocument("invoice");
        Path file = Files.write(files.resolve("invoice.doc"), document);

        ScanReply reply = scan(socket, file, "invoice.doc");

        assertDecidedByExpressions(reply, Verdict.BAD, Result.BAD, "expression.1");
        assertThat(runs(cortex, AnalyzerNames.DEFAULT_CUCKOO_SANDBOX, document)).singleElement().satisfies(run -> {
            assertThat(run.part("_json")).get().extracting(RecordedRequest.Part::text).asString()
                    .contains("\"dataType\":\"file\"");
            assertThat(run.part("attachment")).get().extracting(RecordedRequest.Part::fileName)
                    .isEqualTo("invoice.doc");
        });
    }

    @Test
    void aCleanPdfWithACleanFileInfoReportIsGoodAndNeverGoesToTheSandbox() throws IOException {
        byte[] pdf = pdf("quarterly figures");
        Path file = Files.write(files.resolve("figures.pdf"), pdf);

        ScanReply reply = scan(socket, file, "figures.pdf");

        assertDecidedByExpressions(reply, Verdict.GOOD, Result.IGNORED, "expression.2");
        assertThat(runs(cortex, AnalyzerNames.DEFAULT_FILE_INFO, pdf)).hasSize(1);
        // Expressions are lazy: a PDF is not a macro document, so the sandbox is not asked.
        assertThat(runs(cortex, AnalyzerNames.DEFAULT_CUCKOO_SANDBOX, pdf)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void cortexFailingIsUncheckedAndTheRetryAfterItRecoversGetsTheRealVerdict(Outage outage) throws IOException {
        byte[] pdf = pdf("minutes during " + outage);
        Path file = Files.write(files.resolve("minutes-" + outage + ".pdf"), pdf);

        ScanReply during;
        breakCortex(outage);
        try {
            during = scan(socket, file, "minutes.pdf");
        } finally {
            healCortex(outage);
        }

        assertDecidedByExpressions(during, Verdict.UNCHECKED, Result.FAILED, "could not get cortexreport.FileInfoReport");

        ScanReply retry = retryWhileCortexIsKnownUnavailable(file, "minutes.pdf");

        // Analysed again, not answered by known: a failed result is never reused.
        assertDecidedByExpressions(retry, Verdict.GOOD, Result.IGNORED, "expression.2");
    }

    /**
     * Two instances on one MariaDB database, 100 requests for one macro document at once,
     * half to each: the sandbox job is expensive and must run once across the cluster; every
     * answer is the one verdict, or {@code unchecked} at the deadline, whose retry gets it.
     */
    @Test
    void twoInstancesOnOneDatabaseSubmitOneSampleToCortexOnce() throws Exception {
        int requests = 100;
        String database = MariaDbServer.createDatabase();
        // A Cortex of their own, so that its request log holds this cluster's requests only; the
        // sandbox takes a while, so that the requests overlap the analysis.
        try (CortexEmulator clusterCortex = CortexEmulator.start(Clock.systemUTC(), "")) {
            clusterCortex.analyzer(AnalyzerNames.DEFAULT_CUCKOO_SANDBOX).takes(Duration.ofMillis(500),
                    Duration.ofSeconds(2));
            String store = "[db]\nurl: " + MariaDbServer.SERVER + database + "\nuser: " + MariaDbServer.USER + "\n";
            List<Path> sockets = List.of(dir.resolve("run/cluster-a.sock"), dir.resolve("run/cluster-b.sock"));
            List<Daemon> instances = new ArrayList<>();
            try {
                for (Path instanceSocket : sockets) {
                    String name = instanceSocket.getFileName().toString().replace(".sock", "");
                    instances.add(start(writeConfig(dir.resolve(name), clusterCortex.url().getPort(),
                            instanceSocket, store)));
                }
                byte[] document = macroDocument("order");
                Path file = Files.write(files.resolve("order.doc"), document);

                List<ScanReply> answers = new ArrayList<>();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<ScanReply>> futures = new ArrayList<>();
                    for (int i = 0; i < requests; i++) {
                        Path target = sockets.get(i % 2);
                        futures.add(clients.submit(() -> scan(target, file, "order.doc")));
                    }
                    for (Future<ScanReply> future : futures) {
                        answers.add(future.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                    }
                }

                for (int i = 0; i < requests; i++) {
                    ScanReply answer = answers.get(i);
                    ScanReply.FileVerdict verdict = answer.files().getFirst();
                    if (answer.verdict() == Verdict.UNCHECKED) {
                        assertThat(verdict.rule()).as("request %d: only the deadline may leave it open", i)
                                .isEqualTo("deadline");
                        ScanReply retry = scan(sockets.get(i % 2), file, "order.doc");
                        assertThat(retry.verdict()).as("retry of request %d", i).isEqualTo(Verdict.BAD);
                    } else {
                        assertThat(answer.verdict()).as("request %d: %s", i, answer.files()).isEqualTo(Verdict.BAD);
                    }
                }
                assertThat(runs(clusterCortex, AnalyzerNames.DEFAULT_CUCKOO_SANDBOX, document))
                        .as("sandbox runs requested across the cluster").hasSize(1);
                assertThat(clusterCortex.jobsCreated()).isEqualTo(1);
            } finally {
                instances.forEach(Daemon::close);
                MariaDbServer.dropDatabase(database);
            }
        }
    }

    /**
     * After a refused connection Cortex is known to be unavailable until the daemon's probe sees
     * it back, up to a probe interval later; meanwhile samples are answered unchecked at once,
     * as the mail server's retry would be if it came that soon.
     */
    private ScanReply retryWhileCortexIsKnownUnavailable(Path file, String name) throws IOException {
        long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
        while (true) {
            ScanReply reply = scan(socket, file, name);
            // Until the outage's end is noticed, a retry is answered at once ("Cortex unavailable"); a request
            // already under way when Cortex was healed may still have met the outage ("Cortex answered 50x").
            // An MTA retries both, as this loop does, until the real verdict or the client's patience ends.
            String reason = reply.files().getFirst().reason();
            boolean unavailable = reply.verdict() == Verdict.UNCHECKED
                    && (reason.contains("Cortex unavailable") || reason.contains("Cortex answered 5"));
            if (!unavailable || System.nanoTime() > deadline) {
                return reply;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private void breakCortex(Outage outage) {
        switch (outage) {
            case REFUSED -> proxy.cut();
            // Cortex without its Elasticsearch; a job submission answered 500 is not repeated.
            case SERVER_ERROR -> cortex.inject("POST", "/api/analyzer/[^/]+/run", Fault.noNodeAvailable(), 1);
            case JOB_FAILED -> cortex.analyzer(AnalyzerNames.DEFAULT_FILE_INFO).fails("Invalid file: EOF marker not found");
        }
    }

    private void healCortex(Outage outage) {
        switch (outage) {
            case REFUSED -> proxy.resume();
            case SERVER_ERROR -> {
                // The fault was injected for one request, which the failed submission used up.
            }
            case JOB_FAILED -> cortex.analyzer(AnalyzerNames.DEFAULT_FILE_INFO).succeeds("FileInfo");
        }
    }

    /**
     * Writes peekaboo.conf, ruleset.conf and analyzers.conf into {@code etc} and loads them as
     * {@code peekaboo serve -c} would.
     *
     * @param store the {@code [db]} section
     */
    private PeekabooConfig writeConfig(Path etc, int cortexPort, Path socketFile, String store) throws IOException {
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("ruleset.conf"), RULESET);
        Files.writeString(etc.resolve("analyzers.conf"), """
                [cortex]
                url: http://127.0.0.1:%d
                api_token: %s
                poll_interval: 100ms
                maximum_job_age: 60s
                connect_timeout: 1s
                request_timeout: 10s
                retries: 1
                """.formatted(cortexPort, CortexEmulator.ANALYZE_KEY));
        Files.setPosixFilePermissions(etc.resolve("analyzers.conf"), PosixFilePermissions.fromString("rw-r-----"));
        Path main = etc.resolve("peekaboo.conf");
        Files.writeString(main, """
                [global]
                worker_count: 3
                data_dir: %s

                [server]
                socket_file: %s
                socket_mode: 0600
                allowed_dir.0: %s
                request_deadline: 45s

                %s
                [cluster]
                lease: 20s
                renew_interval: 5s
                poll_interval: 200ms

                [ruleset]
                config: ruleset.conf

                [analyzers]
                config: analyzers.conf
                """.formatted(etc.resolve("data"), socketFile, files, store));
        return PeekabooConfigLoader.load(main, Map.of()).config();
    }

    /** Starts the daemon as {@code peekaboo serve} does: the ruleset and Cortex from the configuration. */
    private static Daemon start(PeekabooConfig config) {
        return Daemon.start(config, Daemon.RulesetFactory.from(config));
    }

    private byte[] macroDocument(String name) {
        // Distinct content per document, so that no test finds another's stored verdict.
        return OfficeFiles.doc(OfficeFiles.module("ThisDocument", "' " + name + " " + ++documentNumber,
                "Sub AutoOpen()", "    Shell \"cmd.exe /c calc.exe\"", "End Sub"));
    }

    private static byte[] pdf(String text) {
        // A page tree, however empty: without one PDFBox cannot load the file, and expansion reports it damaged.
        return ("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                + "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + text + "\ntrailer << /Root 1 0 R >>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static ScanReply scan(Path socketFile, Path file, String declaredName) throws IOException {
        return LineProtocolClient.unix(socketFile, CLIENT_TIMEOUT)
                .scan(List.of(new SampleDeclaration(file.toString(), declaredName, null, null)));
    }

    private static void assertDecidedByExpressions(ScanReply reply, Verdict verdict, Result result, String reason) {
        assertThat(reply.verdict()).as("verdict of %s", reply.files()).isEqualTo(verdict);
        assertThat(reply.files()).singleElement().satisfies(file -> {
            assertThat(file.result()).isEqualTo(result);
            assertThat(file.rule()).isEqualTo("expressions");
            assertThat(file.reason()).contains(reason);
        });
    }

    /** The emulator's run requests for the analyzer that uploaded exactly {@code content}. */
    private static List<RecordedRequest> runs(CortexEmulator emulator, String analyzer, byte[] content) {
        String path = "/api/analyzer/" + emulator.analyzer(analyzer).id() + "/run";
        String sha256 = sha256(content);
        return emulator.requests("POST", path).stream()
                .filter(request -> request.part("attachment")
                        .map(part -> sha256(part.content()).equals(sha256)).orElse(false))
                .toList();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
