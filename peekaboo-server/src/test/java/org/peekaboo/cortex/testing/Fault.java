package org.peekaboo.cortex.testing;

import java.time.Duration;

/** A misbehaviour the emulator shows instead of (or after) answering a request. */
public sealed interface Fault {

    /** Answers with this status and body instead of handling the request. */
    record Status(int status, String contentType, String body, String retryAfter) implements Fault {
    }

    /** Closes the connection without an answer, before handling the request. */
    record DropBefore() implements Fault {
    }

    /** Handles the request (a job is created), then closes the connection without an answer. */
    record DropAfter() implements Fault {
    }

    /** Waits, then handles the request normally. */
    record Slow(Duration delay) implements Fault {
    }

    /** Sends 200 headers, then one byte of JSON now and then, for {@code duration}, and never finishes. */
    record Drip(Duration duration) implements Fault {
    }

    /** Handles the request but sends only the first half of the JSON answer, with status 200. */
    record Truncated() implements Fault {
    }

    /** Handles the request but labels the JSON answer {@code text/plain}. */
    record WrongContentType() implements Fault {
    }

    static Fault javaException() {
        return new Status(500, "application/json",
                "{\"type\":\"java.lang.ClassCastException\",\"message\":\"class scala.concurrent.duration.Duration$Infinite"
                        + " cannot be cast to class scala.concurrent.duration.FiniteDuration\"}", null);
    }

    static Fault noNodeAvailable() {
        return new Status(500, "application/json",
                "{\"type\":\"NoNodeAvailable\",\"message\":\"ElasticSearch cluster is unreachable\"}", null);
    }

    static Fault notInitialised() {
        return new Status(520, "application/json", "null", null);
    }

    static Fault rateLimited(String retryAfter) {
        return new Status(429, "application/json",
                "{\"type\":\"RateLimitExceeded\",\"message\":\"Rate limit of 5 per Minute reached for the analyzer"
                        + " FileInfo_8_0. Job cannot be started\"}", retryAfter);
    }

    static Fault proxyError(int status) {
        return new Status(status, "text/html", "<html><head><title>" + status + " Bad Gateway</title></head>"
                + "<body><center><h1>" + status + " Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
                null);
    }
}
