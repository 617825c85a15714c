package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.testing.Await;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.metrics.testing.Exposition;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/**
 * The daemon as it is wired, over its real Unix socket and HTTP listener, with the built-in ruleset
 * and the embedded store: its one registry counts what its line protocol and REST API were sent,
 * and {@code /metrics} serves it; started without metrics it judges the same and has none.
 */
class DaemonMetricsIT {
    @TempDir
    Path dir;

    @Test
    void theDaemonsRegistryCountsWhatItsFrontEndsWereSentAndHttpServesIt() throws Exception {
        Path files = Files.createDirectories(dir.resolve("amavis-tmp"));
        Path socket = dir.resolve("run/peekaboo.sock");
        int httpPort = freePort();
        PeekabooConfig config = config(files, socket)
                .withHttp(HttpSettings.off().withListen(new HostPort("127.0.0.1", httpPort)));
        List<Path> clean = List.of(
                Files.writeString(files.resolve("minutes.txt"), "Dear colleague, the minutes are attached.\n"),
                Files.writeString(files.resolve("agenda.txt"), "The agenda for Monday.\n"));
        Path marked = Files.writeString(files.resolve("marked.txt"), "Test mail.\n" + ContainsPeekabooYarRule.MARKER + "\n");

        try (Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config))) {
            assertThat(scan(socket, clean).verdict()).isEqualTo(Verdict.GOOD);
            assertThat(scan(socket, List.of(marked)).verdict()).isEqualTo(Verdict.BAD);
            assertThat(scan(socket, List.of(marked)).verdict()).as("known now").isEqualTo(Verdict.BAD);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> upload = http.send(upload(httpPort, "upload.txt", "Uploaded over REST.\n"),
                    HttpResponse.BodyHandlers.ofString());
            String jobId = upload.body().replaceAll("[^0-9]", "");
            assertThat(jobId).as(upload.body()).isNotEmpty();
            HttpRequest report = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/v1/report/" + jobId)).GET().build();
            Await.until(() -> status(http, report) == 200, Duration.ofSeconds(60));

            HttpResponse<String> served = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            Exposition scraped = Exposition.parse(served.body());
            assertThat(scraped.value("peekaboo_requests_total", "frontend", "line")).isEqualTo(3);
            assertThat(scraped.value("peekaboo_requests_total", "frontend", "http")).isEqualTo(1);
            assertThat(scraped.value("peekaboo_requests_total", "frontend", "clamd")).isZero();
            assertThat(scraped.value("peekaboo_verdicts_total", "result", "ignored", "rule", "file_type_on_whitelist"))
                    .as("two over the line protocol, one uploaded").isEqualTo(3);
            assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "contains_peekabooyar"))
                    .isEqualTo(1);
            assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "known")).isEqualTo(1);
            assertThat(scraped.value("peekaboo_known_hits_total")).isEqualTo(1);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "read")).isEqualTo(5);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "rules")).isEqualTo(4);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "store")).isEqualTo(5);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "type"))
                    .as("Tika ran for the whitelist rule at least").isGreaterThanOrEqualTo(2);
            assertThat(scraped.all("peekaboo_build_info")).singleElement()
                    .satisfies(info -> assertThat(info.labels()).containsEntry("version", Daemon.version()));
            assertThat(scraped.value("peekaboo_samples_in_flight")).isZero();
        }
    }

    @Test
    void withoutMetricsTheDaemonJudgesTheSameAndHasNone() throws IOException {
        Path files = Files.createDirectories(dir.resolve("amavis-tmp"));
        Path socket = dir.resolve("run/unmeasured.sock");
        PeekabooConfig config = config(files, socket);
        Path marked = Files.writeString(files.resolve("marked.txt"), "Test mail.\n" + ContainsPeekabooYarRule.MARKER + "\n");

        try (Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config), false)) {
            assertThat(scan(socket, List.of(marked)).verdict()).isEqualTo(Verdict.BAD);
            assertThat(daemon.metrics()).isEmpty();
        }
    }

    private PeekabooConfig config(Path files, Path socket) {
        ServerSettings server = ServerSettings.builder().socketFile(socket).allowedDirs(List.of(files))
                .requestDeadline(Duration.ofSeconds(60)).build();
        return new PeekabooConfig(null, new AnalysisSettings(2), server,
                new StoreSettings(dir.resolve("data"), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults());
    }

    /** {@code POST /v1/scan} as PeekabooAV's clients send it: multipart, the file in field {@code file}. */
    private static HttpRequest upload(int port, String name, String content) {
        String boundary = "peekaboo-metrics-it";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/scan"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private static int status(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static ScanReply scan(Path socket, List<Path> paths) throws IOException {
        return LineProtocolClient.unix(socket, Duration.ofSeconds(120)).scan(paths.stream()
                .map(path -> new SampleDeclaration(path.toString(), path.getFileName().toString(), null, null))
                .toList());
    }
}
