package org.peekaboo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of {@code bench --http}'s parallel clients, doing what PeekabooAV's rspamd module does for
 * each attachment: upload it to {@code /v1/scan} on a kept-alive connection, then ask
 * {@code /v1/report/<job_id>} until the report is there (rspamd asks once; the bench asks again
 * after a pause, so that a slow verdict is timed, not lost). A round trip is both.
 */
final class HttpBenchClient implements Runnable {
    private static final String BOUNDARY = "peekaboo-bench-boundary";
    private static final Pattern JOB_ID = Pattern.compile("\"job_id\"\\s*:\\s*(\\d+)");
    private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"([a-z]+)\"");
    private static final Duration POLL_PAUSE = Duration.ofMillis(5);

    private final URI base;
    private final List<byte[]> uploads;
    private final AtomicInteger next;
    private final long[] latencies;
    private final ReplyTally tally;
    private final Duration timeout;
    private final HttpClient client;

    HttpBenchClient(URI base, List<byte[]> uploads, AtomicInteger next, long[] latencies, ReplyTally tally,
                    Duration timeout) {
        this.base = base;
        this.uploads = uploads;
        this.next = next;
        this.latencies = latencies;
        this.tally = tally;
        this.timeout = timeout;
        // One client per worker: its connection is kept alive between requests, as rspamd's is.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    ReplyTally tally() {
        return tally;
    }

    @Override
    public void run() {
        for (int i = next.getAndIncrement(); i < uploads.size(); i = next.getAndIncrement()) {
            long sent = System.nanoTime();
            int verdict = roundTrip(uploads.get(i), i);
            latencies[i] = System.nanoTime() - sent;
            if (verdict < 0) {
                tally.failedRequest();
            } else {
                tally.countVerdict(verdict);
            }
        }
        client.close();
    }

    /** The verdict as {@link ReplyTally} numbers it, or -1 when the round trip failed. */
    private int roundTrip(byte[] content, int index) {
        try {
            HttpResponse<String> scan = client.send(HttpRequest.newBuilder(base.resolve("/v1/scan"))
                    .timeout(timeout)
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("bench-" + index + ".txt", content)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher job = JOB_ID.matcher(scan.body());
            if (scan.statusCode() != 200 || !job.find()) {
                return -1;
            }
            HttpRequest report = HttpRequest.newBuilder(base.resolve("/v1/report/" + job.group(1)))
                    .timeout(timeout).GET().build();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> answer = client.send(report, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    Matcher result = RESULT.matcher(answer.body());
                    return result.find() ? verdict(result.group(1)) : -1;
                }
                if (answer.statusCode() != 404) {
                    return -1;
                }
                Thread.sleep(POLL_PAUSE);
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** PeekabooAV's results as a mail filter reads them: bad rejects, good and its like pass, the rest defers. */
    static int verdict(String result) {
        return switch (result) {
            case "bad" -> ReplyTally.BAD;
            case "good", "ignored", "unknown" -> ReplyTally.GOOD;
            default -> ReplyTally.UNCHECKED;
        };
    }

    /** The upload as rspamd's module writes it: one {@code file} field with a name and a type. */
    static byte[] multipart(String name, byte[] content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 256);
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }
}
