package org.peekaboo.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.testing.ContentScanService;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;
import org.peekaboo.listener.ShutdownNotice;
import org.peekaboo.listener.SpoolDirectory;

/**
 * Every route and status of the HTTP front end on an {@link EmbeddedChannel}, with requests
 * written byte for byte as PeekabooAV's clients send them and jobs in a real (embedded) database.
 */
class HttpConversationTest {
    private static final String EVIL = ContentScanService.EVIL;
    private static final String BOUNDARY = "xYzZY";
    private static final HttpSettings SETTINGS = HttpSettings.off().withListen(new HostPort("127.0.0.1", 8100))
            .withMaxUploadSize(2048).withScanWait(Duration.ofSeconds(1));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;
    private Database database;
    private SpoolDirectory spool;
    private ContentScanService engine;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        database = Database.open(DatabaseSettings.embedded(temp.resolve("data")));
        spool = SpoolDirectory.create("peekaboo-http-");
        engine = new ContentScanService();
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        spool.close();
        database.close();
    }

    private void connect(HttpSettings settings, Optional<Supplier<String>> metrics) {
        HttpService service = new HttpService(settings, engine, database.httpJobs("test-instance", Clock.systemUTC()),
                database.journal(), spool, Runnable::run, metrics, Clock.systemUTC());
        channel = new EmbeddedChannel(new HttpChannelInitializer(service, Optional.empty()));
        channel.freezeTime();
    }

    /** One parsed answer. */
    private record Answer(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Answer exchange(String request) {
        return exchange(request.getBytes(StandardCharsets.UTF_8));
    }

    private Answer exchange(byte[] request) {
        if (channel == null) {
            connect(SETTINGS, Optional.empty());
        }
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        channel.runPendingTasks();
        return read();
    }

    private Answer read() {
        channel.runPendingTasks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buffer = (ByteBuf) message;
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            buffer.release();
            out.writeBytes(bytes);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return null;
        }
        int split = text.indexOf("\r\n\r\n");
        return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** As the amavis plugin's LWP sends it: the name RFC 2231 encoded, the part's own disposition. */
    private static byte[] lwpUpload(String encodedName, String type, String disposition, String content) {
        String body = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename*=\"utf-8''" + encodedName + "\"\r\n"
                + "Content-Type: " + type + "\r\n\r\n" + content + "\r\n--" + BOUNDARY + "--\r\n";
        return post("TE: deadline\r\nConnection: TE, close\r\nUser-Agent: libwww-perl/6.77\r\n"
                + "X-Content-Disposition: " + disposition + "\r\n", "multipart/form-data; boundary=" + BOUNDARY, body);
    }

    /** As rspamd's Lua module sends it: a plain filename, keep-alive, inline only when inline. */
    private static byte[] rspamdUpload(String name, String type, String content) {
        String body = "--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: " + type + "\r\n\r\n" + content + "\r\n--" + BOUNDARY + "--\r\n";
        return post("Connection: keep-alive\r\nX-Content-Disposition: inline\r\n",
                "multipart/form-data; boundary=" + BOUNDARY, body);
    }

    private static byte[] post(String headers, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ("POST /v1/scan HTTP/1.1\r\nHost: localhost:8100\r\n" + headers + "Content-Type: " + contentType
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static String field(String name, String filename, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\n\r\n" + content + "\r\n";
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.list(spool.directory())) {
            return files.toList();
        }
    }

    @Test
    void pingAndHelloAnswerAsPeekabooAv() throws IOException {
        Answer ping = exchange(get("/ping"));
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.json().get("answer").asText()).isEqualTo("pong");
        assertThat(ping.head()).containsIgnoringCase("content-type: application/json");
        Answer hello = exchange(get("/"));
        assertThat(hello.json().get("hello").asText()).isEqualTo("PeekabooAV");
        assertThat(channel.isOpen()).as("keep-alive by default in HTTP/1.1").isTrue();
    }

    @Test
    void thePostmastersPagesAreHtmlFromTheStoreAndOnlyForGet() throws IOException {
        // The test engine stores no analyses; PostmasterBrowserIT shows a real daemon's.
        Answer overview = exchange(get("/postmaster"));
        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.head()).containsIgnoringCase("content-type: text/html; charset=utf-8");
        assertThat(overview.body()).contains("<h1>Peekaboo</h1>").contains("No analyses yet.");
        Answer lookup = exchange(get("/postmaster/lookup?q=" + "0".repeat(64)));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.body()).contains("No analysis of <code>" + "0".repeat(64) + "</code> is stored");
        assertThat(exchange(get("/postmaster/elsewhere")).status()).isEqualTo(404);
        assertThat(exchange("POST /postmaster HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx").status())
                .isEqualTo(405);
        assertThat(exchange(get("/ping")).status()).as("the API after a page on the same connection").isEqualTo(200);
    }

    @Test
    void lwpUploadKeepsTheEncodedNameTypeAndDispositionAndIsReportedBad() throws IOException {
        Answer scan = exchange(lwpUpload("R%C3%A9sum%C3%A9%20%E2%82%AC.exe", "application/x-msdownload",
                "attachment", "MZ " + EVIL));
        assertThat(scan.status()).isEqualTo(200);
        long jobId = scan.json().get("job_id").asLong();
        assertThat(jobId).isPositive();
        assertThat(engine.declarations).singleElement().satisfies(declaration -> {
            assertThat(declaration.nameDeclared()).isEqualTo("Résumé €.exe");
            assertThat(declaration.typeDeclared()).isEqualTo("application/x-msdownload");
            assertThat(declaration.contentDisposition()).isEqualTo("attachment");
        });
        assertThat(channel.isOpen()).as("LWP asked to close").isFalse();

        channel = null;
        Answer report = exchange(get("/v1/report/" + jobId));
        assertThat(report.status()).isEqualTo(200);
        JsonNode body = report.json();
        assertThat(body.get("result").asText()).isEqualTo("bad");
        assertThat(body.get("reason").asText()).isEqualTo("has the marker");
        assertThat(body.get("report").get(0).asText()).isEqualTo("evil rule: has the marker");
        assertThat(body.get("rules").get(0).get("rule").asText()).isEqualTo("evil rule");
        assertThat(body.get("rules").get(0).get("result").asText()).isEqualTo("bad");
        assertThat(spooled()).as("the spooled upload is deleted once judged").isEmpty();
    }

    @Test
    void rspamdUploadOnAKeptAliveConnectionIsDoneBeforeItsSinglePoll() throws IOException {
        Answer scan = exchange(rspamdUpload("invoice.txt", "text/plain", "nothing to see"));
        assertThat(scan.status()).isEqualTo(200);
        long jobId = scan.json().get("job_id").asLong();
        assertThat(engine.declarations.get(0).nameDeclared()).isEqualTo("invoice.txt");
        assertThat(engine.declarations.get(0).contentDisposition()).isEqualTo("inline");
        Answer report = exchange(get("/v1/report/" + jobId));
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().get("result").asText()).isEqualTo("good");

        Answer second = exchange(rspamdUpload("invoice.txt", "text/plain", "nothing to see"));
        assertThat(second.json().get("job_id").asLong()).as("every upload is a job of its own").isGreaterThan(jobId);
    }

    @Test
    void aJobStillRunningIsNotFoundUntilItsVerdictIsStored() throws IOException {
        engine.hold = true;
        connect(SETTINGS, Optional.empty());
        assertThat(exchange(rspamdUpload("a.txt", "text/plain", "slow"))).as("waits for the verdict first").isNull();
        channel.advanceTimeBy(SETTINGS.scanWait().toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        Answer scan = read();
        assertThat(scan.status()).isEqualTo(200);
        long jobId = scan.json().get("job_id").asLong();
        Answer pending = exchange(get("/v1/report/" + jobId));
        assertThat(pending.status()).isEqualTo(404);
        assertThat(pending.json().get("message").asText()).isEqualTo("No analysis result yet for job " + jobId);
        assertThat(spooled()).as("kept while the engine reads it").hasSize(1);

        engine.releaseAll();
        assertThat(exchange(get("/v1/report/" + jobId)).json().get("result").asText()).isEqualTo("good");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void anEngineFailureAndAnUncheckedVerdictAreReportedFailedSoThatAmavisDefers() throws IOException {
        engine.failure = new IllegalStateException("broken");
        long failed = exchange(rspamdUpload("a.txt", "text/plain", "x")).json().get("job_id").asLong();
        assertThat(exchange(get("/v1/report/" + failed)).json().get("result").asText()).isEqualTo("failed");

        engine.failure = null;
        engine.unchecked = true;
        long unchecked = exchange(rspamdUpload("a.txt", "text/plain", "x")).json().get("job_id").asLong();
        Answer report = exchange(get("/v1/report/" + unchecked));
        assertThat(report.json().get("result").asText()).isEqualTo("failed");
        assertThat(report.json().get("reason").asText()).isEqualTo("overloaded");
    }

    @Test
    void unknownJobsAreNotFoundAndJobZeroIsABadRequest() throws IOException {
        Answer unknown = exchange(get("/v1/report/987654"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).isEqualTo("No analysis result yet for job 987654");
        Answer zero = exchange(get("/v1/report/0"));
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("message").asText()).isEqualTo("job ID missing from request");
        assertThat(exchange(get("/v1/report/abc")).status()).isEqualTo(404);
        assertThat(exchange(get("/nowhere")).status()).isEqualTo(404);
    }

    @Test
    void wrongMethodsAreNotAllowed() {
        Answer getScan = exchange(get("/v1/scan"));
        assertThat(getScan.status()).isEqualTo(405);
        assertThat(getScan.head()).containsIgnoringCase("allow: POST");
        Answer postPing = exchange("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(postPing.status()).isEqualTo(405);
        assertThat(postPing.head()).containsIgnoringCase("allow: GET");
        assertThat(exchange("DELETE /v1/report/1 HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(405);
    }

    @Test
    void formsPeekabooAvRefusesAreBadRequestsInItsWords() throws IOException {
        Answer urlencoded = exchange(post("", "application/x-www-form-urlencoded", "file=abc"));
        assertThat(urlencoded.status()).isEqualTo(400);
        assertThat(urlencoded.json().get("message").asText())
                .isEqualTo("Invalid content type, use multipart/form-data");

        channel = null;
        Answer two = exchange(post("", "multipart/form-data; boundary=" + BOUNDARY,
                field("file", "a.txt", "one") + field("other", "b.txt", "two") + "--" + BOUNDARY + "--\r\n"));
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.json().get("message").asText())
                .isEqualTo("Invalid number of fields in form, we accept only one field \"file\"");

        Answer wrongName = exchange(post("", "multipart/form-data; boundary=" + BOUNDARY,
                field("upload", "a.txt", "one") + "--" + BOUNDARY + "--\r\n"));
        assertThat(wrongName.json().get("message").asText()).isEqualTo("Field \"file\" missing from request");

        Answer empty = exchange(post("", "multipart/form-data; boundary=" + BOUNDARY, "--" + BOUNDARY + "--\r\n"));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("message").asText()).isEqualTo("Invalid MIME structure in request");
        assertThat(engine.declarations).isEmpty();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aFieldWithoutFileNameIsJudgedWithoutName() throws IOException {
        long jobId = exchange(post("", "multipart/form-data; boundary=" + BOUNDARY,
                field("file", null, EVIL) + "--" + BOUNDARY + "--\r\n")).json().get("job_id").asLong();
        assertThat(engine.declarations.get(0).nameDeclared()).isNull();
        assertThat(exchange(get("/v1/report/" + jobId)).json().get("result").asText()).isEqualTo("bad");
    }

    @Test
    void uploadsOverTheLimitAreTooLargeWhetherAnnouncedOrStreamed() throws IOException {
        String big = "x".repeat(3000);
        Answer announced = exchange(rspamdUpload("big.bin", "application/octet-stream", big));
        assertThat(announced.status()).isEqualTo(413);
        assertThat(channel.isOpen()).as("the unread body ends the connection").isFalse();

        channel = null;
        String head = "POST /v1/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n\r\n";
        String part = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + big;
        Answer streamed = exchange(head + Integer.toHexString(part.length()) + "\r\n" + part + "\r\n");
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(engine.declarations).isEmpty();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void theBearerTokenGuardsTheApiButNotTheProbes() throws IOException {
        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        Answer missing = exchange(get("/v1/report/1"));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.head()).containsIgnoringCase("www-authenticate: Bearer");

        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        Answer wrong = exchange("GET /v1/report/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess\r\n\r\n");
        assertThat(wrong.status()).isEqualTo(401);

        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        Answer refusedUpload = exchange(rspamdUpload("a.txt", "text/plain", EVIL));
        assertThat(refusedUpload.status()).isEqualTo(401);
        assertThat(engine.declarations).as("nothing is judged for a stranger").isEmpty();

        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        Answer right = exchange("GET /v1/report/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n");
        assertThat(right.status()).isEqualTo(404);
        assertThat(exchange(get("/health")).status()).isEqualTo(200);
        assertThat(exchange(get("/ping")).status()).isEqualTo(200);

        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        assertThat(exchange(get("/postmaster/lookup?q=1")).status()).as("the postmaster's page").isEqualTo(401);
        // The routes decode the path: a URI spelled otherwise that reaches them is guarded all the same.
        for (String disguised : List.of("/%761/report/1", "/postmaster#x", "/postmaster%2Flookup?q=1")) {
            connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
            assertThat(exchange(get(disguised)).status()).as(disguised).isEqualTo(401);
        }
        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        assertThat(exchange(new String(rspamdUpload("a.txt", "text/plain", EVIL), StandardCharsets.UTF_8)
                .replace("POST /v1/scan ", "POST /%761/scan ")).status()).as("an upload to a disguised path")
                .isEqualTo(401);
        assertThat(engine.declarations).isEmpty();
        connect(SETTINGS.withToken(new Secret("s3cret")), Optional.empty());
        assertThat(exchange("GET /postmaster HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n").status())
                .isEqualTo(200);
    }

    @Test
    void readyWhileTheDatabaseAnswersAndNotOnceItIsGoneOrPeekabooStops() throws IOException {
        assertThat(exchange(get("/health")).json().get("status").asText()).isEqualTo("alive");
        assertThat(exchange(get("/ready")).status()).isEqualTo(200);
        database.close();
        Answer gone = exchange(get("/ready"));
        assertThat(gone.status()).isEqualTo(503);
        assertThat(exchange(get("/health")).status()).as("alive all the same").isEqualTo(200);
        Answer noJob = exchange(rspamdUpload("a.txt", "text/plain", "x"));
        assertThat(noJob.status()).as("fails closed: the client retries").isEqualTo(500);
        assertThat(noJob.json().get("message").asText()).isEqualTo("Failed to add analysis to database");

        database = Database.open(DatabaseSettings.embedded(temp.resolve("data")));
        connect(SETTINGS, Optional.empty());
        channel.pipeline().fireUserEventTriggered(ShutdownNotice.INSTANCE);
        assertThat(exchange(get("/ready")).status()).isEqualTo(503);
    }

    @Test
    void aSilentClientIsLetGoButNotWhileItMayStillWaitForItsScanAnswer() {
        connect(SETTINGS, Optional.empty());
        channel.advanceTimeBy(HttpChannelInitializer.READ_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("scan_wait more to go").isTrue();
        channel.advanceTimeBy(SETTINGS.scanWait().toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void metricsAreServedOnlyWhenTheDaemonProvidesThem() {
        assertThat(exchange(get("/metrics")).status()).isEqualTo(404);
        connect(SETTINGS, Optional.of(() -> "peekaboo_up 1\n"));
        Answer metrics = exchange(get("/metrics"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.head()).containsIgnoringCase("content-type: text/plain; version=0.0.4");
        assertThat(metrics.body()).isEqualTo("peekaboo_up 1\n");
    }
}
