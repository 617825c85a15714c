package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.peekaboo.analysis.AnalysisEvents;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.cortex.CortexHttp.Call;
import org.peekaboo.cortex.CortexHttp.Kind;
import org.peekaboo.sample.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Cortex analyzers on samples and delivers their reports.
 *
 * <p>A pending job costs one map entry and one future: no thread waits for it. One poller asks
 * the status of all pending jobs in a single {@code POST /api/job/status} per poll interval
 * (Cortex 3.1.5 and later) and fetches a report only once its job has ended, so the load on
 * Cortex does not grow with the number of jobs, unlike PeekabooAV's one GET per job per round.
 * A job not finished within {@code maximum_job_age} fails: Cortex never resumes jobs that were
 * running when it restarted.
 *
 * <p>Every future this client hands out completes, exceptionally with a {@link CortexException}
 * whose message says why if there is no report; the failure is logged once, here.
 */
public final class CortexClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CortexClient.class);
    private static final Duration DEFAULT_RETRY_BASE = Duration.ofMillis(500);
    private static final int MAX_ERROR_MESSAGE = 500;

    private final CortexSettings settings;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService scheduler;
    private final CortexHttp http;
    /** Analyzer name to instance id; an entry that failed is removed so that the next sample asks again. */
    private final Map<String, CompletableFuture<String>> analyzerIds = new ConcurrentHashMap<>();
    /** Analyses under way, by analyzer and SHA-256: identical content is submitted once. */
    private final Map<String, CompletableFuture<AnalyzerReport>> inFlight = new ConcurrentHashMap<>();
    /** Jobs Cortex has accepted and not yet finished, by job id; several samples may share one. */
    private final Map<String, PendingJob> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private final AtomicBoolean pollFailing = new AtomicBoolean();
    private final AtomicLong pollRounds = new AtomicLong();
    private final AnalysisEvents events;

    public CortexClient(CortexSettings settings, Clock clock) {
        this(settings, clock, DEFAULT_RETRY_BASE, AnalysisEvents.NONE);
    }

    /** @param events told how long each analysis took and whether it failed (the daemon's metrics) */
    public CortexClient(CortexSettings settings, Clock clock, AnalysisEvents events) {
        this(settings, clock, DEFAULT_RETRY_BASE, events);
    }

    /** @param retryBase the first back-off delay; it doubles with every retry (tests shorten it) */
    public CortexClient(CortexSettings settings, Clock clock, Duration retryBase) {
        this(settings, clock, retryBase, AnalysisEvents.NONE);
    }

    private CortexClient(CortexSettings settings, Clock clock, Duration retryBase, AnalysisEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        this.settings = settings;
        this.clock = clock;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cortex-poller");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        this.http = new CortexHttp(settings, scheduler, retryBase, json);
        long interval = settings.pollInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::pollRound, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the analyzer on the sample (or joins the analysis already under way for the same
     * content) and completes with its report once the job has succeeded.
     */
    public CompletableFuture<AnalyzerReport> analyze(Sample sample, CortexAnalyzer analyzer) {
        String key = analyzer.name() + ":" + sample.sha256();
        CompletableFuture<AnalyzerReport> created = new CompletableFuture<>();
        CompletableFuture<AnalyzerReport> existing = inFlight.putIfAbsent(key, created);
        if (existing != null) {
            return existing;
        }
        String name = analyzer.analyzerName(settings.analyzers());
        long started = System.nanoTime();
        created.whenComplete((report, error) -> {
            inFlight.remove(key, created);
            // Once per analysis: samples that joined it above waited for the same job.
            events.cortexAnswered(Duration.ofNanos(System.nanoTime() - started), error != null);
            if (error != null) {
                Throwable cause = unwrap(error);
                // During a known outage every sample fails alike; the outage is logged once.
                if (cause instanceof CortexException e && e.unavailable()) {
                    LOG.debug("No {} report for sample {}: {}", analyzer.reportName(), sample.sha256(),
                            cause.getMessage());
                } else {
                    LOG.warn("No {} report for sample {}: {}", analyzer.reportName(), sample.sha256(),
                            cause.getMessage());
                }
            }
        });
        CompletableFuture<AnalyzerReport> analysis;
        try {
            Call run = runCall(sample, analyzer, name);
            analysis = submit(run, name, true)
                    .thenCompose(job -> job.report)
                    .thenApplyAsync(report -> parse(analyzer, report), scheduler);
        } catch (CortexException e) {
            analysis = CompletableFuture.failedFuture(e);
        }
        analysis.whenComplete((report, error) -> {
            if (error != null) {
                created.completeExceptionally(unwrap(error));
            } else {
                created.complete(report);
            }
        });
        return created;
    }

    /** Cortex's version from {@code GET /api/status}, which needs no key: is Cortex there at all? */
    public CompletableFuture<String> version() {
        return http.send(Call.get("/api/status", "status")).thenApply(status -> {
            String version = status.path("versions").path("Cortex").asText("");
            return version.isEmpty() ? "unknown version" : version;
        });
    }

    /** The user the API key belongs to ({@code GET /api/user/current}): proves the key is accepted. */
    public CompletableFuture<JsonNode> currentUser() {
        return http.send(Call.get("/api/user/current", "current user"));
    }

    /** Whether the batch status endpoint answers (Cortex 3.1.5 or later); the poller depends on it. */
    public CompletableFuture<Void> checkBatchStatus() {
        ObjectNode body = json.createObjectNode();
        body.putArray("jobIds");
        return http.send(Call.post(Kind.READ, "/api/job/status", "batch job status", bytes(body),
                ContentType.APPLICATION_JSON)).thenApply(answer -> null);
    }

    /** The instance id of the analyzer with exactly this name, looked up once and then cached. */
    public CompletableFuture<String> analyzerId(String name) {
        CompletableFuture<String> created = new CompletableFuture<>();
        CompletableFuture<String> existing = analyzerIds.putIfAbsent(name, created);
        if (existing != null) {
            return existing;
        }
        ObjectNode query = json.createObjectNode();
        query.putObject("query").put("_field", "name").put("_value", name);
        // range=all: Cortex answers only 10 analyzers without it, and 0-1 would hide duplicates.
        http.send(Call.post(Kind.READ, "/api/analyzer/_search?range=all", "analyzer lookup of " + name,
                        bytes(query), ContentType.APPLICATION_JSON))
                .thenApply(found -> pickAnalyzer(name, found))
                .whenComplete((id, error) -> {
                    if (error != null) {
                        analyzerIds.remove(name, created);
                        created.completeExceptionally(unwrap(error));
                    } else {
                        created.complete(id);
                    }
                });
        return created;
    }

    /**
     * Since when Cortex is known to be unreachable and why (the failure that started the outage);
     * empty while it answers.
     */
    public Optional<Failing> failing() {
        return http.outage().map(down -> new Failing(down.since(), down.diagnosis()));
    }

    /** A Cortex outage as {@link #failing()} reports it. */
    public record Failing(Instant since, String diagnosis) {
    }

    /** Jobs accepted by Cortex and not finished yet. */
    public int pendingJobs() {
        return pending.size();
    }

    /** Status requests sent so far; at most one per poll interval. */
    public long pollRounds() {
        return pollRounds.get();
    }

    private String pickAnalyzer(String name, JsonNode found) {
        List<JsonNode> matches = new ArrayList<>();
        for (JsonNode analyzer : found) {
            if (name.equals(analyzer.path("name").asText())) {
                matches.add(analyzer);
            }
        }
        if (matches.size() != 1) {
            throw new CompletionException(new CortexException(matches.isEmpty()
                    ? "Cortex has no analyzer named " + name + " enabled for the API key's organisation;"
                            + " enable it in Cortex or correct the analyzer name in analyzers.conf"
                    : "Cortex has " + matches.size() + " analyzers named " + name + "; rename all but one"));
        }
        String id = matches.get(0).path("id").asText(matches.get(0).path("_id").asText(""));
        if (id.isEmpty()) {
            throw new CompletionException(new CortexException("Cortex's analyzer " + name + " has no id"));
        }
        return id;
    }

    /** Runs the job; a 404 means the analyzer was renamed or re-created, so its id is looked up once more. */
    private CompletableFuture<PendingJob> submit(Call template, String name, boolean mayRefresh) {
        CompletableFuture<String> lookup = analyzerId(name);
        return lookup
                .thenCompose(id -> http.send(new Call(template.kind(), template.method(),
                        "/api/analyzer/" + encode(id) + "/run", template.what(), template.body(),
                        template.contentType(), template.expected())))
                .handle((job, error) -> {
                    Throwable cause = error == null ? null : unwrap(error);
                    if (cause instanceof CortexException e && e.status().orElse(0) == 404 && mayRefresh) {
                        analyzerIds.remove(name, lookup);
                        return submit(template, name, false);
                    }
                    if (cause != null) {
                        return CompletableFuture.<PendingJob>failedFuture(cause);
                    }
                    return CompletableFuture.completedFuture(track(template, name, job));
                })
                .thenCompose(future -> future);
    }

    private PendingJob track(Call run, String name, JsonNode job) {
        String id = job == null ? "" : job.path("id").asText(job.path("_id").asText(""));
        if (id.isEmpty()) {
            throw new CompletionException(new CortexException("Cortex " + run.what()
                    + ": the answer names no job id: " + String.valueOf(job)));
        }
        boolean fromCache = job.path("fromCache").asBoolean(false);
        PendingJob tracked = pending.computeIfAbsent(id, key -> new PendingJob(id, name, clock.instant()));
        LOG.debug("Cortex job {} ({}){}", id, name, fromCache ? " from Cortex's job cache" : "");
        return tracked;
    }

    private Call runCall(Sample sample, CortexAnalyzer analyzer, String name) throws CortexException {
        String what = "run " + name + " on sample " + sample.sha256();
        ObjectNode request = json.createObjectNode();
        if (!analyzer.submitsFile()) {
            request.put("data", sample.sha256()).put("dataType", "hash").put("tlp", settings.tlp());
            return Call.post(Kind.SUBMIT, "", what, bytes(request), ContentType.APPLICATION_JSON);
        }
        if (sample.size() > settings.maxFileSize()) {
            throw new CortexException("Cortex " + what + ": the sample has " + sample.size()
                    + " bytes, more than [cortex] max_file_size " + settings.maxFileSize() + " allows");
        }
        byte[] content;
        try {
            // The snapshot the hash was taken of, so the report is about these bytes.
            content = sample.content().readAllBytes();
        } catch (IOException e) {
            throw new CortexException("Cortex " + what + ": cannot read its content: " + e);
        }
        request.put("dataType", "file").put("tlp", settings.tlp());
        String boundary = "peekaboo-" + java.util.UUID.randomUUID();
        HttpEntity multipart = MultipartEntityBuilder.create()
                .setMode(HttpMultipartMode.LEGACY)
                .setBoundary(boundary)
                .setCharset(StandardCharsets.UTF_8)
                .addTextBody("_json", request.toString(), ContentType.APPLICATION_JSON)
                .addBinaryBody("attachment", content, contentType(sample), fileName(sample))
                .build();
        ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 1024);
        try {
            multipart.writeTo(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The boundary comes from the entity; a hand-set Content-Type would break the upload.
        return Call.post(Kind.SUBMIT, "", what, body.toByteArray(),
                ContentType.create("multipart/form-data", new BasicNameValuePair("boundary", boundary)));
    }

    private String fileName(Sample sample) {
        String declared = sample.nameDeclared();
        if (settings.submitOriginalFilename() && declared != null && !declared.isBlank()) {
            return declared.replaceAll("[\\p{Cntrl}\"\\\\/]", "_");
        }
        String extension = sample.fileExtension();
        return extension == null ? sample.sha256() : sample.sha256() + "." + extension;
    }

    private static ContentType contentType(Sample sample) {
        try {
            ContentType declared = sample.typeDeclared() == null ? null : ContentType.parse(sample.typeDeclared());
            return declared == null || declared.getMimeType().isBlank() ? ContentType.APPLICATION_OCTET_STREAM
                    : declared;
        } catch (RuntimeException e) {
            return ContentType.APPLICATION_OCTET_STREAM;
        }
    }

    private AnalyzerReport parse(CortexAnalyzer analyzer, JsonNode report) {
        try {
            return analyzer.parse(report);
        } catch (RuntimeException e) {
            throw new CompletionException(new CortexException("Cortex " + analyzer.reportName()
                    + ": cannot read the report: " + e));
        }
    }

    /** One round: fail jobs that are too old, then ask the status of all others in one request. */
    private void pollRound() {
        if (pending.isEmpty() || !roundRunning.compareAndSet(false, true)) {
            return;
        }
        try {
            Instant now = clock.instant();
            List<String> ids = new ArrayList<>();
            for (PendingJob job : pending.values()) {
                if (job.submitted.plus(settings.maxJobAge()).isBefore(now)) {
                    finish(job, new CortexException("Cortex job " + job.id + " (" + job.analyzer + ") did not finish"
                            + " within [cortex] maximum_job_age " + settings.maxJobAge().toSeconds() + " s; last status "
                            + job.lastStatus));
                } else {
                    ids.add(job.id);
                }
            }
            if (ids.isEmpty()) {
                roundRunning.set(false);
                return;
            }
            pollRounds.incrementAndGet();
            ObjectNode body = json.createObjectNode();
            ArrayNode array = body.putArray("jobIds");
            ids.forEach(array::add);
            http.send(Call.post(Kind.READ, "/api/job/status", "status of " + ids.size() + " jobs", bytes(body),
                            ContentType.APPLICATION_JSON))
                    .whenComplete((statuses, error) -> {
                        try {
                            if (error != null) {
                                pollFailed(ids, unwrap(error));
                            } else {
                                statusesArrived(ids, statuses);
                            }
                        } finally {
                            roundRunning.set(false);
                        }
                    });
        } catch (RuntimeException e) {
            roundRunning.set(false);
            LOG.error("Cortex poll round failed", e);
        }
    }

    private void statusesArrived(List<String> ids, JsonNode statuses) {
        if (pollFailing.compareAndSet(true, false)) {
            LOG.info("Cortex answers job status requests again");
        }
        for (String id : ids) {
            PendingJob job = pending.get(id);
            if (job == null) {
                continue;
            }
            String status = statuses == null ? "" : statuses.path(id).asText("");
            job.lastStatus = status.isEmpty() ? "(not in the answer)" : status;
            switch (status) {
                case "Success", "Failure" -> {
                    pending.remove(id, job);
                    fetchReport(job);
                }
                case "Deleted" -> finish(job, new CortexException("Cortex job " + id + " (" + job.analyzer
                        + ") was deleted in Cortex before it finished"));
                case "NotFound" -> finish(job, new CortexException("Cortex job " + id + " (" + job.analyzer
                        + ") is unknown to Cortex (deleted from its database, or another organisation's)"));
                default -> {
                    // Waiting, InProgress, or Error(...) for one job: ask again next round, bounded by the age.
                }
            }
        }
    }

    private void pollFailed(List<String> ids, Throwable error) {
        if (error instanceof CortexException e && e.status().orElse(0) == 404) {
            CortexException missing = new CortexException(error.getMessage()
                    + "; Cortex lacks the batch status endpoint POST /api/job/status: Peekaboo needs Cortex 3.1.5"
                    + " or later");
            ids.stream().map(pending::get).filter(java.util.Objects::nonNull).forEach(job -> finish(job, missing));
            return;
        }
        if (error instanceof CortexException e && e.unavailable()) {
            // Logged as an outage once; the jobs wait for its end or their maximum age.
            return;
        }
        if (pollFailing.compareAndSet(false, true)) {
            LOG.warn("{}; {} jobs stay pending until Cortex answers or [cortex] maximum_job_age passes",
                    error.getMessage(), ids.size());
        }
    }

    private void fetchReport(PendingJob job) {
        http.send(Call.get("/api/job/" + encode(job.id) + "/report", "report of job " + job.id + " (" + job.analyzer
                        + ")"))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        job.report.completeExceptionally(unwrap(error));
                        return;
                    }
                    JsonNode report = answer == null ? null : answer.path("report");
                    String status = answer == null ? "" : answer.path("status").asText("");
                    if (status.equals("Success") && report != null && report.isObject()
                            && report.path("success").asBoolean(true)) {
                        job.report.complete(report);
                    } else if (status.equals("Failure") || status.equals("Success")) {
                        String message = answer.path("errorMessage").asText(report == null ? ""
                                : report.path("errorMessage").asText(""));
                        job.report.completeExceptionally(new CortexException("Cortex job " + job.id + " ("
                                + job.analyzer + ") failed in Cortex: " + (message.isBlank() ? "(no error message)"
                                : shorten(message))));
                    } else {
                        job.report.completeExceptionally(new CortexException("Cortex job " + job.id + " ("
                                + job.analyzer + ") has status " + status + " but was reported ended"));
                    }
                });
    }

    private void finish(PendingJob job, CortexException failure) {
        pending.remove(job.id, job);
        job.report.completeExceptionally(failure);
    }

    private static String shorten(String message) {
        String line = message.strip().replaceAll("\\s+", " ");
        return line.length() > MAX_ERROR_MESSAGE ? line.substring(0, MAX_ERROR_MESSAGE) + "…" : line;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    /** Stops polling and fails every analysis still waiting. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
        for (PendingJob job : pending.values()) {
            finish(job, new CortexException("Cortex job " + job.id + " (" + job.analyzer
                    + ") abandoned: Peekaboo is shutting down"));
        }
        inFlight.values().forEach(future -> future.completeExceptionally(
                new CortexException("Cortex analysis abandoned: Peekaboo is shutting down")));
    }

    /** A job Cortex accepted; {@code report} completes with its {@code report} object. */
    private static final class PendingJob {
        final String id;
        final String analyzer;
        final Instant submitted;
        final CompletableFuture<JsonNode> report = new CompletableFuture<>();
        volatile String lastStatus = "Waiting";

        PendingJob(String id, String analyzer, Instant submitted) {
            this.id = id;
            this.analyzer = analyzer;
            this.submitted = submitted;
        }
    }
}
