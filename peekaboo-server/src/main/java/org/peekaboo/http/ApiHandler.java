package org.peekaboo.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.peekaboo.analysis.ScanJob;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.listener.ShutdownNotice;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes: PeekabooAV 2.1's REST API ({@code /}, {@code /ping}, {@code /v1/scan} once
 * spooled, {@code /v1/report/<id>}), the probes and {@code /metrics}. Database work runs on the
 * service's blocking executor; answers are written from the connection's event loop.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String REPORT_PREFIX = "/v1/report/";
    private static final Pattern JOB_ID = Pattern.compile("[0-9]{1,18}");
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpService service;
    /** Set once the daemon stops: {@code /ready} says so while open connections are answered. */
    private boolean stopping;

    ApiHandler(HttpService service) {
        this.service = service;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ScanUpload upload) {
            scan(ctx, upload);
            return;
        }
        try {
            if (msg instanceof HttpRequest request) {
                route(ctx, request);
            }
        } finally {
            // Bodies of requests other than uploads mean nothing here.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ShutdownNotice.INSTANCE) {
            stopping = true;
        }
        super.userEventTriggered(ctx, event);
    }

    /**
     * A connection that fails (a read timeout, TLS spoken wrong, a reset) is closed; requests it
     * had under way are recorded all the same and can be polled on another connection.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void route(ChannelHandlerContext ctx, HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.BAD_REQUEST, "Malformed request"), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        if (path.equals(ScanUploadHandler.SCAN_PATH)) {
            // POST was taken by the upload handler.
            notAllowed(ctx, "POST", keepAlive);
        } else if (!method.equals(HttpMethod.GET) && known(path)) {
            notAllowed(ctx, "GET", keepAlive);
        } else if (path.equals("/")) {
            JsonResponses.send(ctx, JsonResponses.json(HttpResponseStatus.OK, Map.of("hello", "PeekabooAV")),
                    keepAlive);
        } else if (path.equals("/ping")) {
            JsonResponses.send(ctx, JsonResponses.json(HttpResponseStatus.OK, Map.of("answer", "pong")), keepAlive);
        } else if (path.equals("/health")) {
            JsonResponses.send(ctx, JsonResponses.json(HttpResponseStatus.OK, Map.of("status", "alive")), keepAlive);
        } else if (path.equals("/ready")) {
            ready(ctx, keepAlive);
        } else if (path.equals("/metrics") && service.metrics().isPresent()) {
            metrics(ctx, service.metrics().get(), keepAlive);
        } else if (path.startsWith(REPORT_PREFIX) && JOB_ID.matcher(path.substring(REPORT_PREFIX.length())).matches()) {
            report(ctx, Long.parseLong(path.substring(REPORT_PREFIX.length())), keepAlive);
        } else {
            JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.NOT_FOUND,
                    "Requested URL " + path + " not found"), keepAlive);
        }
    }

    private boolean known(String path) {
        return path.equals("/") || path.equals("/ping") || path.equals("/health") || path.equals("/ready")
                || (path.equals("/metrics") && service.metrics().isPresent()) || path.startsWith(REPORT_PREFIX);
    }

    private static void notAllowed(ChannelHandlerContext ctx, String allowed, boolean keepAlive) {
        FullHttpResponse response = JsonResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                "Method not allowed; use " + allowed);
        response.headers().set(HttpHeaderNames.ALLOW, allowed);
        JsonResponses.send(ctx, response, keepAlive);
    }

    private void ready(ChannelHandlerContext ctx, boolean keepAlive) {
        if (stopping) {
            JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "Peekaboo is shutting down"), keepAlive);
            return;
        }
        offLoop(ctx, () -> {
            try {
                service.jobs().check();
                return JsonResponses.json(HttpResponseStatus.OK, Map.of("status", "ready"));
            } catch (RuntimeException e) {
                return JsonResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "Database unreachable");
            }
        }, keepAlive);
    }

    private void metrics(ChannelHandlerContext ctx, Supplier<String> metrics, boolean keepAlive) {
        offLoop(ctx, () -> JsonResponses.text(HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.get()), keepAlive);
    }

    private void report(ChannelHandlerContext ctx, long jobId, boolean keepAlive) {
        if (jobId == 0) {
            JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "job ID missing from request"), keepAlive);
            return;
        }
        offLoop(ctx, () -> {
            Optional<HttpJobs.Report> report;
            try {
                report = service.jobs().report(jobId);
            } catch (RuntimeException e) {
                LOG.error("Cannot read job {}: {}", jobId, e.toString());
                return JsonResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "Failed to retrieve analysis result from database");
            }
            return report.map(done -> JsonResponses.json(HttpResponseStatus.OK, body(done)))
                    .orElseGet(() -> JsonResponses.error(HttpResponseStatus.NOT_FOUND,
                            "No analysis result yet for job " + jobId));
        }, keepAlive);
    }

    /**
     * PeekabooAV's two fields, {@code report} as lines its amavis plugin appends to its log, and
     * Peekaboo's per-rule report.
     */
    static Map<String, Object> body(HttpJobs.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", report.result().label());
        body.put("reason", report.reason());
        body.put("report", report.rules().stream().map(rule -> rule.rule() + ": " + rule.reason()).toList());
        body.put("rules", report.rules().stream().map(rule -> Map.of("rule", rule.rule(), "result",
                rule.result().label(), "reason", rule.reason())).toList());
        return body;
    }

    /** Runs {@code work} on the blocking executor and sends what it returns from the event loop. */
    private void offLoop(ChannelHandlerContext ctx, Supplier<FullHttpResponse> work, boolean keepAlive) {
        CompletableFuture.supplyAsync(work, service.blocking()).whenCompleteAsync((response, failure) -> {
            if (failure != null) {
                LOG.error("Request failed", failure);
                JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "Internal error"), false);
            } else {
                JsonResponses.send(ctx, response, keepAlive);
            }
        }, ctx.executor());
    }

    /**
     * Records the job, starts the engine and answers the job id once the verdict is stored or
     * {@code scan_wait} has passed, whichever comes first. The spooled file is deleted when the
     * engine is done with it.
     */
    private void scan(ChannelHandlerContext ctx, ScanUpload upload) {
        CompletableFuture.supplyAsync(() -> service.jobs().create(), service.blocking())
                .whenCompleteAsync((jobId, failure) -> {
                    if (failure != null) {
                        LOG.error("Cannot record a new job: {}", failure.toString());
                        service.spool().delete(upload.file());
                        JsonResponses.send(ctx, JsonResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                "Failed to add analysis to database"), upload.keepAlive());
                        return;
                    }
                    judge(ctx, upload, jobId);
                }, ctx.executor());
    }

    private void judge(ChannelHandlerContext ctx, ScanUpload upload, long jobId) {
        CompletableFuture<Void> stored = start(upload).handle(ApiHandler::outcome)
                .thenAcceptAsync(report -> store(jobId, report), service.blocking())
                .whenComplete((ignored, failure) -> service.spool().delete(upload.file()));
        boolean[] answered = {false};
        Runnable answer = () -> {
            if (!answered[0]) {
                answered[0] = true;
                JsonResponses.send(ctx, JsonResponses.json(HttpResponseStatus.OK, Map.of("job_id", jobId)),
                        upload.keepAlive());
            }
        };
        Duration wait = service.settings().scanWait();
        if (wait.isZero()) {
            answer.run();
            return;
        }
        ctx.executor().schedule(answer, wait.toNanos(), TimeUnit.NANOSECONDS);
        stored.whenCompleteAsync((ignored, failure) -> answer.run(), ctx.executor());
    }

    private CompletableFuture<List<JudgedSample>> start(ScanUpload upload) {
        try {
            ScanJob job = service.engine().start(List.of(new SampleDeclaration(upload.file().toString(),
                    upload.name(), upload.type(), upload.contentDisposition())), service.settings().jobDeadline());
            return job.done();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void store(long jobId, HttpJobs.Report report) {
        try {
            service.jobs().finish(jobId, report);
        } catch (RuntimeException e) {
            // The job stays running: its clients keep polling and give up with a temporary failure.
            LOG.error("Cannot record the outcome of job {}: {}", jobId, e.toString());
            throw e;
        }
    }

    /**
     * The report of a judged upload. Failures and {@code unchecked} become {@code failed}: the
     * amavis plugin delivers {@code unchecked} like a clean file, {@code failed} it defers.
     */
    static HttpJobs.Report outcome(List<JudgedSample> judged, Throwable failure) {
        if (failure != null || judged == null || judged.size() != 1 || judged.get(0) == null) {
            if (failure != null) {
                LOG.error("The engine failed", failure);
            }
            return new HttpJobs.Report(Result.FAILED, "Peekaboo could not judge the file", List.of());
        }
        SampleVerdict verdict = judged.get(0).verdict();
        if (verdict.result() == Result.UNCHECKED) {
            return new HttpJobs.Report(Result.FAILED, verdict.reason(), verdict.report());
        }
        return new HttpJobs.Report(verdict.result(), verdict.reason(), verdict.report());
    }
}
