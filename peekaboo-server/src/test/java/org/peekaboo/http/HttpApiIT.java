package org.peekaboo.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RetentionSettings;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.daemon.Daemon;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.db.testing.TcpProxy;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.testing.GateRule;

/**
 * Two daemons with the HTTP front end on one MariaDB database (127.0.0.1:3306, root, no
 * password; the test creates and drops its own), over real sockets: instance A in plain HTTP
 * through a proxy that can cut its database off, instance B with TLS and a bearer token. Uploads
 * are written byte for byte as the amavis plugin's LWP and rspamd's module send them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiIT {
    private static final String BOUNDARY = "xYzZY";
    private static final String TOKEN = "t0ken-for-the-test";
    private static final long UPLOAD_LIMIT = 64 * 1024;
    /**
     * B waits this long for a verdict before answering the job id, so that a known sample is
     * finished before the one poll even on a busy test machine; A keeps the default.
     */
    private static final Duration KNOWN_WAIT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Only so that a broken build fails instead of hanging: far beyond what any step takes. */
    private static final Duration GIVE_UP = Duration.ofMinutes(2);
    /** Only for a test that fails: no assertion depends on it. */
    private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    @TempDir
    static Path dir;

    private String database;
    private TcpProxy proxy;
    private Daemon a;
    private Daemon b;
    private int portA;
    private int portB;
    private SSLContext trustingB;
    /** Samples named "held-..." wait in the ruleset until this opens. */
    private final CountDownLatch gate = new CountDownLatch(1);

    @BeforeAll
    void start() throws Exception {
        database = MariaDbServer.createDatabase();
        proxy = new TcpProxy("127.0.0.1", 3306);
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
                "-out", certificate.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log")
                .toFile()).start();
        assertThat(openssl.waitFor()).as("openssl req").isZero();
        trustingB = trusting(certificate);

        portA = freePort();
        a = Daemon.start(config("a", proxy.port(), HttpSettings.off().withListen(new HostPort("127.0.0.1", portA))
                .withMaxUploadSize(UPLOAD_LIMIT)),
                this::gatedRuleset);
        portB = freePort();
        b = Daemon.start(config("b", 3306, HttpSettings.off().withListen(new HostPort("127.0.0.1", portB))
                .withTls(certificate, key).withToken(new Secret(TOKEN)).withScanWait(KNOWN_WAIT)), this::gatedRuleset);
    }

    @AfterAll
    void stop() throws Exception {
        gate.countDown();
        try {
            for (Daemon daemon : new Daemon[] {a, b}) {
                if (daemon != null) {
                    daemon.close();
                }
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            MariaDbServer.dropDatabase(database);
        }
    }

    private PeekabooConfig config(String name, int databasePort, HttpSettings http) throws IOException {
        Path files = Files.createDirectories(dir.resolve(name + "-files"));
        ServerSettings server = ServerSettings.builder().socketFile(dir.resolve(name + ".sock")).socketMode(0600)
                .allowedDirs(List.of(files)).build();
        StoreSettings store = new StoreSettings(dir.resolve(name + "-data"),
                Optional.of("jdbc:mariadb://127.0.0.1:" + databasePort + "/" + database),
                Optional.of(MariaDbServer.USER), Optional.empty(), 4, CONNECT_TIMEOUT, RetentionSettings.defaults());
        return new PeekabooConfig(null, new AnalysisSettings(3), server, store, new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults()).withHttp(http);
    }

    private LoadedRuleset gatedRuleset(org.peekaboo.ruleset.KnownResults known,
                                       org.peekaboo.sample.FileTypeDetector detector,
                                       List<org.peekaboo.ruleset.ReportSource<?>> reports) {
        return GateRule.builtInWith(gate, known, detector, reports);
    }

    private record Answer(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Answer toA(String request) throws IOException {
        return exchange(new Socket("127.0.0.1", portA), request.getBytes(StandardCharsets.UTF_8));
    }

    private Answer toA(byte[] request) throws IOException {
        return exchange(new Socket("127.0.0.1", portA), request);
    }

    private Answer toB(String request) throws IOException {
        return toB(request.getBytes(StandardCharsets.UTF_8));
    }

    private Answer toB(byte[] request) throws IOException {
        SSLSocket socket = (SSLSocket) trustingB.getSocketFactory().createSocket("127.0.0.1", portB);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return exchange(socket, request);
    }

    /** One request on a connection of its own, read to the announced length. */
    private static Answer exchange(Socket socket, byte[] request) throws IOException {
        try (socket) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    throw new IOException("connection closed in the head: " + head);
                }
                head.write(next);
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            int length = headText.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                    .map(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(headText.substring(9, 12)), headText, body);
        }
    }

    private static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders + "\r\n";
    }

    private static String bearer() {
        return "Authorization: Bearer " + TOKEN + "\r\n";
    }

    /** As the amavis plugin's LWP writes it: RFC 2231 name, the part's own type and disposition. */
    private static byte[] lwp(String encodedName, String type, String disposition, byte[] content, String extra) {
        return upload("Content-Disposition: form-data; name=\"file\"; filename*=\"utf-8''" + encodedName + "\"\r\n"
                + "Content-Type: " + type + "\r\n", "TE: deadline\r\nConnection: TE, close\r\n"
                + "User-Agent: libwww-perl/6.77\r\nX-Content-Disposition: " + disposition + "\r\n" + extra, content);
    }

    /** As rspamd's Lua module writes it: a plain name, inline only when the part was inline. */
    private static byte[] rspamd(String name, String type, byte[] content, String extra) {
        return upload("Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: " + type + "\r\n", "Connection: close\r\nX-Content-Disposition: inline\r\n" + extra,
                content);
    }

    private static byte[] upload(String partHeaders, String requestHeaders, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\n" + partHeaders + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /v1/scan HTTP/1.1\r\nHost: 127.0.0.1\r\n" + requestHeaders
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + body.size()
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        request.writeBytes(body.toByteArray());
        return request.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aJobRunsUntilJudgedIsAnsweredByEitherInstanceAndItsResubmissionIsDoneAtOnce() throws Exception {
        byte[] content = bytes("Quarterly figures, nothing to see " + System.nanoTime());
        Answer scan = toA(lwp("held-figures%20%C3%A4.txt", "text/plain", "attachment", content, ""));
        assertThat(scan.status()).isEqualTo(200);
        long jobId = scan.json().get("job_id").asLong();

        assertThat(toA(get("/v1/report/" + jobId, "")).status()).as("running on A").isEqualTo(404);
        assertThat(toB(get("/v1/report/" + jobId, bearer())).status()).as("running, asked of B").isEqualTo(404);

        gate.countDown();
        Answer done = awaitReport(jobId);
        assertThat(done.json().get("rules").findValuesAsText("rule")).as("judged by the rules")
                .contains("gate_for_tests");
        Answer fromB = toB(get("/v1/report/" + jobId, bearer()));
        assertThat(fromB.status()).isEqualTo(200);
        assertThat(fromB.json()).isEqualTo(done.json());

        // rspamd's flow: the retried delivery submits the part again and polls once right away.
        Answer again = toB(lwp("held-figures%20%C3%A4.txt", "text/plain", "attachment", content, bearer()));
        long second = again.json().get("job_id").asLong();
        assertThat(second).isNotEqualTo(jobId);
        Answer once = toA(get("/v1/report/" + second, ""));
        assertThat(once.status()).as("a known sample is finished before its job id is answered").isEqualTo(200);
        assertThat(once.json().get("result")).isEqualTo(done.json().get("result"));
        assertThat(once.json().get("rules").findValuesAsText("rule")).as("decided by the known rule alone")
                .containsExactly("known");
    }

    /** Polls as the amavis plugin does. */
    private Answer awaitReport(long jobId) throws Exception {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            Answer report = toA(get("/v1/report/" + jobId, ""));
            if (report.status() != 404) {
                assertThat(report.status()).isEqualTo(200);
                return report;
            }
            assertThat(System.nanoTime()).as("job %d still running", jobId).isLessThan(giveUp);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Test
    void rspamdsUploadOfTheTestMarkerIsBadOnTheOtherInstanceToo() throws Exception {
        byte[] marker = bytes(ContainsPeekabooYarRule.MARKER + " " + System.nanoTime());
        Answer scan = toB(rspamd("file.com", "application/octet-stream", marker, bearer()));
        assertThat(scan.status()).isEqualTo(200);
        long jobId = scan.json().get("job_id").asLong();
        Answer report = awaitReport(jobId);
        assertThat(report.json().get("result").asText()).isEqualTo("bad");
        assertThat(report.json().get("report").size()).isPositive();
    }

    @Test
    void aMailUploadedWholeIsExpandedAndJudgedByItsWorstPart() throws Exception {
        String mail = "From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\n"
                + "hello " + System.nanoTime() + "\r\n--inner\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"x.bin\"\r\n\r\n" + ContainsPeekabooYarRule.MARKER
                + "\r\n--inner--\r\n";
        long jobId = toA(rspamd("message.eml", "message/rfc822", bytes(mail), "")).json().get("job_id").asLong();
        assertThat(awaitReport(jobId).json().get("result").asText()).isEqualTo("bad");
    }

    @Test
    void theTokenAndTlsGuardInstanceB() throws Exception {
        assertThat(toB(get("/v1/report/1", "")).status()).isEqualTo(401);
        assertThat(toB(get("/v1/report/1", "Authorization: Bearer wrong\r\n")).status()).isEqualTo(401);
        assertThat(toB(rspamd("a.txt", "text/plain", bytes("x"), "")).status()).isEqualTo(401);
        assertThat(toB(get("/health", "")).status()).isEqualTo(200);
        try (Socket plain = new Socket("127.0.0.1", portB)) {
            plain.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            plain.getOutputStream().write(bytes(get("/ping", "")));
            byte[] answer = plain.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).as("no plain HTTP on the TLS port")
                    .doesNotContain("pong");
        }
    }

    @Test
    void errorsOverRealSockets() throws Exception {
        assertThat(toA(get("/v1/report/0", "")).status()).isEqualTo(400);
        assertThat(toA(get("/v1/report/99999999", "")).status()).isEqualTo(404);
        assertThat(toA(get("/v1/scan", "")).status()).isEqualTo(405);
        Answer tooLarge = toA(rspamd("big.bin", "application/octet-stream",
                new byte[(int) UPLOAD_LIMIT * 4], ""));
        assertThat(tooLarge.status()).isEqualTo(413);
        String broken = "POST /v1/scan HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: 9\r\n\r\nnot parts";
        assertThat(toA(broken).status()).isEqualTo(400);
        assertThat(toA(get("/ping", "")).json().get("answer").asText()).isEqualTo("pong");
    }

    @Test
    void readyFollowsTheDatabase() throws Exception {
        assertThat(toA(get("/ready", "")).status()).isEqualTo(200);
        proxy.cut();
        try {
            assertThat(toA(get("/ready", "")).status()).isEqualTo(503);
            assertThat(toA(get("/health", "")).status()).isEqualTo(200);
            assertThat(toA(rspamd("a.txt", "text/plain", bytes("x"), "")).status())
                    .as("no job without the database: the client retries").isEqualTo(500);
        } finally {
            proxy.resume();
        }
        // The outage probe retries once a second: ready again once it has seen the database.
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (toA(get("/ready", "")).status() != 200) {
            assertThat(System.nanoTime()).as("ready again after the database returned").isLessThan(giveUp);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Test
    void curlAsDocsHttpMdShowsIt() throws Exception {
        // Over 1 KiB, so that curl asks "Expect: 100-continue" and waits for the go-ahead.
        Path invoice = Files.write(dir.resolve("invoice.txt"), bytes(("Invoice " + System.nanoTime() + "\n")
                .repeat(200)));
        JsonNode scan = JSON.readTree(curl("-F", "file=@" + invoice + ";type=text/plain",
                "-H", "X-Content-Disposition: attachment", "http://127.0.0.1:" + portA + "/v1/scan"));
        long jobId = scan.get("job_id").asLong();
        assertThat(awaitReport(jobId).json().get("rules").findValuesAsText("rule")).contains("gate_for_tests");

        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        JsonNode overTls = JSON.readTree(curl("--cacert", dir.resolve("cert.pem").toString(),
                "-H", "Authorization: Bearer " + Files.readString(token), "-F", "file=@" + invoice + ";type=text/plain",
                "-H", "X-Content-Disposition: attachment",
                "https://127.0.0.1:" + portB + "/v1/scan"));
        JsonNode report = JSON.readTree(curl("--cacert", dir.resolve("cert.pem").toString(),
                "-H", "Authorization: Bearer " + TOKEN,
                "https://127.0.0.1:" + portB + "/v1/report/" + overTls.get("job_id").asLong()));
        assertThat(report.get("rules").findValuesAsText("rule")).as("the same sample again, answered at once")
                .containsExactly("known");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + portA + "/ready"))
                .isEqualTo("200");
    }

    @Test
    void perlsLwpUploadsAsTheAmavisPluginDoesWithTheNameIntact() throws Exception {
        Path script = dir.resolve("lwp-client.pl");
        try (InputStream in = HttpApiIT.class.getResourceAsStream("lwp-client.pl")) {
            Files.copy(in, script);
        }
        String marker = ContainsPeekabooYarRule.MARKER + " " + System.nanoTime();
        Path part = Files.writeString(dir.resolve("p002"), marker);
        String name = "Rechnung März € " + System.nanoTime() + ".exe";
        Process perl = new ProcessBuilder("perl", script.toString(), "http://127.0.0.1:" + portA, part.toString(),
                name, "application/x-msdownload", "attachment").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(perl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(perl.waitFor()).as("perl said: %s", out).isZero();
        assertThat(out).contains("status 200");
        assertThat(JSON.readTree(out.substring(out.indexOf('{'))).get("result").asText()).isEqualTo("bad");
        try (Connection connection = DriverManager.getConnection(MariaDbServer.SERVER + database,
                MariaDbServer.USER, "");
             PreparedStatement query = connection.prepareStatement("SELECT type_declared, content_disposition"
                     + " FROM analysis WHERE name_declared = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("an analysis of %s", name).isTrue();
                assertThat(row.getString(1)).isEqualTo("application/x-msdownload");
                assertThat(row.getString(2)).isEqualTo("attachment");
            }
        }
    }

    /** Runs curl and returns what it printed; it must exit 0. */
    private static String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60"));
        command.addAll(List.of(arguments));
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl %s", command).isZero();
        return out;
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("b", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
