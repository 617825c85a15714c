package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpBenchClientTest {
    @Test
    void uploadsAsRspamdAndAsksForTheReportUntilItIsThere() throws IOException {
        AtomicInteger polls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/scan", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
            int job = body.contains("MARKED") ? 2 : 1;
            reply(exchange, 200, "{\"job_id\": " + job + "}");
        });
        server.createContext("/v1/report/", exchange -> {
            boolean marked = exchange.getRequestURI().getPath().endsWith("/2");
            if (polls.incrementAndGet() % 2 == 1) {
                reply(exchange, 404, "{\"message\": \"No analysis result yet for job\"}");
            } else {
                reply(exchange, 200, "{\"result\": \"" + (marked ? "bad" : "ignored") + "\", \"reason\": \"x\"}");
            }
        });
        server.start();
        try {
            List<byte[]> uploads = List.of(bytes("clean"), bytes("MARKED"), bytes("clean again"));
            long[] latencies = new long[uploads.size()];
            HttpBenchClient client = new HttpBenchClient(URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort()), uploads, new AtomicInteger(), latencies, new ReplyTally(),
                    Duration.ofSeconds(10));

            client.run();

            assertThat(client.tally().files(ReplyTally.GOOD)).isEqualTo(2);
            assertThat(client.tally().files(ReplyTally.BAD)).isEqualTo(1);
            assertThat(client.tally().failed()).isZero();
            assertThat(polls).as("each report asked twice: running, then done").hasValue(6);
            assertThat(java.util.Arrays.stream(latencies).allMatch(latency -> latency > 0)).as("every round trip timed").isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableServerFailsTheRoundTripAndUndecidedResultsDefer() {
        HttpBenchClient client = new HttpBenchClient(URI.create("http://127.0.0.1:9"), List.of(bytes("x")),
                new AtomicInteger(), new long[1], new ReplyTally(), Duration.ofSeconds(2));
        client.run();
        assertThat(client.tally().failed()).isEqualTo(1);
        assertThat(HttpBenchClient.verdict("failed")).isEqualTo(ReplyTally.UNCHECKED);
        assertThat(HttpBenchClient.verdict("unchecked")).isEqualTo(ReplyTally.UNCHECKED);
        assertThat(new String(HttpBenchClient.multipart("a.txt", bytes("hi")), StandardCharsets.US_ASCII))
                .contains("Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n")
                .contains("\r\n\r\nhi\r\n--");
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
