package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.peekaboo.config.CortexSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to Cortex on one non-blocking HTTP client: waiting for an answer holds no thread.
 * Adds the Bearer key, bounds every attempt in time and size, retries what is safe to retry
 * with exponential back-off, and turns every failure into a {@link CortexException} that says
 * what was asked and what went wrong. Never stores cookies and never follows redirects (either
 * could carry the key elsewhere or trip Cortex's CSRF check).
 */
final class CortexHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CortexHttp.class);
    /** Cuckoo reports with many signatures and network entries reach a few MB. */
    private static final long MAX_ANSWER = 64L * 1024 * 1024;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int CONNECTIONS = 20;
    /** How often the one probe asks whether Cortex is back while it is known to be unreachable. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** Whether repeating a request can do harm. */
    enum Kind {
        /** Reads and status queries: repeat on any transient failure. */
        READ,
        /**
         * Creates a job: repeat only when Cortex surely did not take it (no connection, 429,
         * a proxy's 502/503/504, 520); otherwise a retry could start a second job.
         */
        SUBMIT
    }

    /**
     * One request.
     *
     * @param what     how messages name it, e.g. {@code "run FileInfo_8_0 on <sha256>"}
     * @param body     the body, or null for none
     * @param expected the status that means success (200, or 204 for DELETE)
     */
    record Call(Kind kind, String method, String path, String what, byte[] body, ContentType contentType,
                int expected) {
        static Call get(String path, String what) {
            return new Call(Kind.READ, "GET", path, what, null, null, 200);
        }

        static Call post(Kind kind, String path, String what, byte[] body, ContentType contentType) {
            return new Call(kind, "POST", path, what, body, contentType, 200);
        }
    }

    private final CortexSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Duration retryBase;
    private final CloseableHttpAsyncClient client;
    private final ObjectMapper json;
    private final CortexOutage outage;

    CortexHttp(CortexSettings settings, ScheduledExecutorService scheduler, Duration retryBase, ObjectMapper json) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.retryBase = retryBase;
        this.json = json;
        this.outage = new CortexOutage(settings.url().getHost() + ":" + port(), Clock.systemUTC());
        Timeout request = Timeout.of(settings.requestTimeout());
        this.client = HttpAsyncClients.custom()
                .useSystemProperties()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(request)
                                .build())
                        .setMaxConnTotal(CONNECTIONS)
                        .setMaxConnPerRoute(CONNECTIONS)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(request)
                        .setConnectionRequestTimeout(request)
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableAuthCaching()
                .build();
        client.start();
    }

    /**
     * Sends the call, retrying as its kind allows. Completes with the JSON answer ({@code null}
     * for an empty 204), or exceptionally with a {@link CortexException}.
     */
    CompletableFuture<JsonNode> send(Call call) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        attempt(call, 0, result);
        return result;
    }

    /** The outage that makes requests fail at once; empty while Cortex answers. */
    Optional<CortexOutage.Down> outage() {
        return outage.current();
    }

    /** Whether requests fail at once because Cortex is known to be unreachable. */
    boolean knownDown() {
        return outage.knownDown();
    }

    private void attempt(Call call, int attempt, CompletableFuture<JsonNode> result) {
        if (outage.knownDown()) {
            result.completeExceptionally(outage.knownDownFailure(call.what()));
            return;
        }
        once(call).whenComplete((answer, error) -> {
            Failure failure = error != null ? transportFailure(call, unwrap(error)) : check(call, answer);
            if (answer != null && (failure == null || !failure.down())) {
                outage.reachable();
            }
            if (failure == null) {
                try {
                    result.complete(parse(answer));
                } catch (IOException e) {
                    failure = new Failure("Cortex answered with broken JSON (" + e.getMessage().lines().findFirst()
                            .orElse("") + "): " + answer.excerpt(), call.kind() == Kind.READ, null, answer.status());
                }
            }
            if (failure == null) {
                return;
            }
            if (failure.retryable() && attempt < settings.retries()) {
                Duration delay = failure.delay() != null ? failure.delay() : backoff(attempt);
                LOG.debug("Cortex {}: {}; retry {} of {} in {} ms", call.what(), failure.message(), attempt + 1,
                        settings.retries(), delay.toMillis());
                scheduler.schedule(() -> attempt(call, attempt + 1, result), delay.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            // Retried in vain: an outage rather than a blip, so later requests need not try the same.
            if (failure.down() && outage.unreachable(failure.message())) {
                scheduleProbe();
            }
            String tries = attempt == 0 ? "" : " (tried " + (attempt + 1) + " times)";
            result.completeExceptionally(new CortexException("Cortex " + call.what() + ": " + failure.message() + tries,
                    failure.status()));
        });
    }

    private CompletableFuture<HttpResult> once(Call call) {
        URI uri = URI.create(settings.url() + call.path());
        SimpleHttpRequest request = new SimpleHttpRequest(call.method(), uri);
        request.setHeader("Authorization", "Bearer " + settings.apiToken().value());
        request.setHeader("Accept", "application/json");
        if (call.body() != null) {
            request.setBody(call.body(), call.contentType());
        }
        CompletableFuture<HttpResult> answer = new CompletableFuture<>();
        Future<HttpResult> exchange;
        try {
            exchange = client.execute(SimpleRequestProducer.create(request), new BoundedResponseConsumer(MAX_ANSWER),
                    new FutureCallback<>() {
                        @Override
                        public void completed(HttpResult result) {
                            answer.complete(result);
                        }

                        @Override
                        public void failed(Exception ex) {
                            answer.completeExceptionally(ex);
                        }

                        @Override
                        public void cancelled() {
                            answer.completeExceptionally(new CancellationException("cancelled"));
                        }
                    });
        } catch (RuntimeException e) {
            // The client refuses work after close().
            answer.completeExceptionally(e);
            return answer;
        }
        // The socket timeout resets with every byte; a slow drip must still end in bounded time.
        var deadline = scheduler.schedule(() -> {
            if (answer.completeExceptionally(new DeadlineExceeded())) {
                exchange.cancel(true);
            }
        }, settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((result, error) -> deadline.cancel(false));
        return answer;
    }

    /** @param down whether the failure shows that Cortex cannot be reached at all */
    private record Failure(String message, boolean retryable, Duration delay, int status, boolean down) {
        Failure(String message, boolean retryable, Duration delay, int status) {
            this(message, retryable, delay, status, false);
        }
    }

    /** Asks for Cortex's status, without retries, until it answers; then the outage ends. */
    private void scheduleProbe() {
        try {
            scheduler.schedule(this::probe, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // Closing: nobody will ask Cortex anything any more.
        }
    }

    private void probe() {
        once(Call.get("/api/status", "status")).whenComplete((answer, error) -> {
            Failure failure = error != null ? transportFailure(null, unwrap(error)) : null;
            if (failure == null && answer != null && !isGateway(answer.status())) {
                outage.reachable();
            } else {
                LOG.debug("Cortex still unavailable: {}", failure != null ? failure.message() : answer.status());
                scheduleProbe();
            }
        });
    }

    private static boolean isGateway(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    private static final class DeadlineExceeded extends Exception {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded() {
            super(null, null, false, false);
        }
    }

    private Failure transportFailure(Call call, Throwable error) {
        String where = settings.url().getHost() + ":" + port();
        boolean read = call != null && call.kind() == Kind.READ;
        if (error instanceof ConnectException || error instanceof UnknownHostException) {
            return new Failure("cannot connect to " + where + " (" + describe(error) + ")", true, null, 0, true);
        }
        if (error instanceof DeadlineExceeded || error instanceof java.net.SocketTimeoutException) {
            return new Failure("no complete answer within " + settings.requestTimeout().toMillis()
                    + " ms ([cortex] request_timeout)", read, null, 0);
        }
        if (error instanceof IOException) {
            return new Failure("the connection to " + where + " broke before the answer was complete ("
                    + describe(error) + ")", read, null, 0);
        }
        return new Failure("request failed: " + describe(error), false, null, 0);
    }

    private Failure check(Call call, HttpResult answer) {
        int status = answer.status();
        if (status == call.expected()) {
            if (status == 200 && !answer.isJson()) {
                return new Failure("Cortex answered 200 with " + (answer.contentType().isEmpty() ? "no content type"
                        : answer.contentType()) + " instead of JSON: " + answer.excerpt(),
                        call.kind() == Kind.READ, null, status);
            }
            return null;
        }
        boolean read = call.kind() == Kind.READ;
        String said = describeError(answer);
        return switch (status) {
            case 401 -> new Failure("Cortex rejected the API key (401" + said + "); check [cortex] api_token",
                    false, null, status);
            case 403 -> new Failure("the API key's user may not do this (403" + said
                    + "); it needs the roles read and analyze in the analyzers' organisation", false, null, status);
            case 404 -> new Failure("not found (404" + said + ")", false, null, status);
            case 413 -> new Failure("Cortex refused the upload as too large (413" + said
                    + "); raise Cortex's play.http.parser.maxDiskBuffer or lower [cortex] max_file_size",
                    false, null, status);
            case 429 -> retryAfter(answer)
                    .map(delay -> delay.compareTo(MAX_RETRY_AFTER) > 0
                            ? new Failure("rate limit reached (429" + said + ") and Cortex asks to wait "
                                    + delay.toSeconds() + " s", false, null, status)
                            : new Failure("rate limit reached (429" + said + ")", true, delay, status))
                    .orElseGet(() -> new Failure("rate limit reached (429" + said + ")", true, null, status));
            case 502, 503, 504 -> new Failure("a proxy in front of Cortex answered " + status + said, true, null,
                    status, true);
            case 520 -> new Failure("Cortex's database is not initialised (520); open Cortex's web interface and"
                    + " run the database migration", read, null, status);
            default -> new Failure("Cortex answered " + status + said, read && status >= 500, null, status);
        };
    }

    /** Cortex's own {@code {"type","message"}}, or what kind of page a proxy sent. */
    private String describeError(HttpResult answer) {
        if (answer.body().length == 0) {
            return "";
        }
        if (answer.isJson()) {
            try {
                JsonNode error = json.readTree(answer.body());
                if (error != null && error.hasNonNull("type")) {
                    return " " + error.path("type").asText() + ": " + error.path("message").asText("");
                }
            } catch (IOException e) {
                // Fall through to the excerpt; a broken error body is still worth showing.
            }
            return ", " + answer.excerpt();
        }
        if (answer.isHtml()) {
            String title = answer.excerpt().replaceFirst("(?is).*<title>(.*?)</title>.*", "$1");
            return ", an HTML page" + (title.equals(answer.excerpt()) ? "" : " \"" + title.strip() + "\"");
        }
        return ", " + answer.excerpt();
    }

    private JsonNode parse(HttpResult answer) throws IOException {
        if (answer.body().length == 0) {
            return null;
        }
        JsonNode node = json.readTree(answer.body());
        if (node == null) {
            throw new IOException("no JSON value");
        }
        return node;
    }

    private static Optional<Duration> retryAfter(HttpResult answer) {
        return answer.retryAfter().map(String::strip).filter(value -> value.matches("\\d{1,9}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)));
    }

    private Duration backoff(int attempt) {
        long base = retryBase.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        // Jitter spreads the retries of many jobs that failed together.
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 4 + 1));
    }

    private int port() {
        int port = settings.url().getPort();
        return port >= 0 ? port : settings.url().getScheme().equals("https") ? 443 : 80;
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
