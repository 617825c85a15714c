package org.peekaboo.lineprotocol;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.peekaboo.analysis.ScanJob;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.listener.ConnectionContext;
import org.peekaboo.listener.ShutdownNotice;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.status.DaemonStatus;
import org.peekaboo.status.StatusJson;
import org.peekaboo.status.StatusSource;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.peekaboo.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation of one connection: greet, take one request, keep the client waiting
 * politely, report every file and the collection verdict, close.
 *
 * <p>All state is touched on the channel's event loop only; the engine's futures complete
 * elsewhere and hop back via {@link #onEventLoop}. Whatever goes wrong ends in an
 * {@code unchecked} collection verdict, never in a clean one.
 */
final class ScanRequestHandler extends ChannelInboundHandlerAdapter {
    static final String INTERNAL_ERROR = "Internal error, the files could not be scanned";
    static final String SHUTTING_DOWN = "Peekaboo is shutting down; please retry later";
    /** The status source bounds its database query itself; this only catches a source that hangs. */
    static final Duration STATUS_PATIENCE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ScanRequestHandler.class);

    private enum State { AWAITING_REQUEST, SCANNING, DONE }

    private final ProtocolSettings settings;
    private final ReplyBudget replyBudget;
    private final ScanService scanService;
    private final StatusSource statusSource;
    private final ConnectionContext connection;
    private final ChannelFutureListener writeFailureListener = future -> {
        if (!future.isSuccess()) {
            onWriteFailure(future.cause());
        }
    };

    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_REQUEST;
    private List<SampleDeclaration> files = List.of();
    private ScanJob job;
    private long receivedAtNanos;
    /** Bytes of the answer written so far; they count against the reply budget. */
    private long sentBytes;
    private ScheduledFuture<?> keepAlive;
    private ScheduledFuture<?> deadline;

    ScanRequestHandler(ProtocolSettings settings, ScanService scanService, StatusSource statusSource,
                       ConnectionContext connection) {
        this.settings = settings;
        this.replyBudget = new ReplyBudget(settings.maxReplyBytes());
        this.scanService = scanService;
        this.statusSource = statusSource;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        connection.enter();
        try {
            LOG.debug("Connected");
            write(ProtocolLines.greeting());
            write(ResponseLine.EMPTY);
            context.flush();
        } finally {
            connection.exit();
        }
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        connection.enter();
        try {
            if (!(msg instanceof ClientRequest request)) {
                LOG.warn("Dropping unexpected message {}", msg.getClass().getName());
                ReferenceCountUtil.release(msg);
                return;
            }
            if (state != State.AWAITING_REQUEST || !context.channel().isActive()) {
                LOG.debug("Ignoring input after the request");
                return;
            }
            switch (request) {
                case MalformedRequest malformed -> {
                    LOG.info("Refused request: {}", malformed.reason());
                    finishWithError(malformed.reason());
                }
                case ScanRequest scan -> begin(scan);
                case StatusRequest status -> gatherStatus();
            }
        } finally {
            connection.exit();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        connection.enter();
        try {
            if (event instanceof RequestIdleTimeout idle && state == State.AWAITING_REQUEST) {
                String message = "No request received within " + ProtocolLines.duration(idle.timeout());
                LOG.info(message);
                finishWithError(message);
            } else if (event instanceof ChannelInputShutdownEvent && state == State.AWAITING_REQUEST) {
                LOG.info("Client closed its side of the connection without a request");
                finishWithError("No request received before the client closed its side of the connection");
            } else if (event == ShutdownNotice.INSTANCE && state != State.DONE) {
                LOG.info("Server is shutting down; telling the client to retry");
                finishWithError(SHUTTING_DOWN);
            }
        } finally {
            connection.exit();
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        connection.enter();
        try {
            stopTimers();
            if (state == State.SCANNING) {
                LOG.info("Client closed the connection before the verdict; the analysis continues");
            }
            state = State.DONE;
            LOG.debug("Disconnected");
        } finally {
            connection.exit();
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        connection.enter();
        try {
            if (cause instanceof IOException) {
                LOG.info("Connection failed: {}", cause.toString());
                stopTimers();
                state = State.DONE;
                context.close();
            } else if (state != State.DONE) {
                LOG.error("Unexpected failure in the line protocol", cause);
                finishWithError(INTERNAL_ERROR);
            } else {
                LOG.error("Unexpected failure in the line protocol after the reply", cause);
                context.close();
            }
        } finally {
            connection.exit();
        }
    }

    private void begin(ScanRequest request) {
        state = State.SCANNING;
        receivedAtNanos = now();
        files = request.files();
        long pings = request.pings();
        if (files.isEmpty()) {
            state = State.DONE;
            for (long i = 1; i < pings; i++) {
                write(ProtocolLines.pong());
            }
            ctx.writeAndFlush(ProtocolLines.pong()).addListener(writeFailureListener)
                    .addListener(ChannelFutureListener.CLOSE);
            LOG.info("Answered {} ping(s)", pings);
            return;
        }
        for (long i = 0; i < pings; i++) {
            write(ProtocolLines.pong());
        }
        ctx.flush();
        long interval = settings.keepAliveInterval().toNanos();
        keepAlive = ctx.executor().scheduleAtFixedRate(connection.wrap(this::keepAlive), interval, interval,
                TimeUnit.NANOSECONDS);
        deadline = ctx.executor().schedule(connection.wrap(this::deadlineReached),
                settings.requestDeadline().toNanos(), TimeUnit.NANOSECONDS);
        LOG.debug("Request for {} file(s)", files.size());
        try {
            job = scanService.start(files, settings.requestDeadline());
        } catch (RuntimeException e) {
            judged(null, e);
            return;
        }
        if (job == null) {
            judged(null, new IllegalStateException("the engine returned no job"));
            return;
        }
        job.done().whenCompleteAsync(this::judged, onEventLoop());
    }

    /** Off the event loop: the status reads the lock table from the database. */
    private void gatherStatus() {
        state = State.SCANNING;
        receivedAtNanos = now();
        CompletableFuture<DaemonStatus> status;
        try {
            status = statusSource.gather();
        } catch (RuntimeException e) {
            status = CompletableFuture.failedFuture(e);
        }
        status.orTimeout(STATUS_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync(this::statusGathered, onEventLoop());
    }

    private void statusGathered(DaemonStatus status, Throwable failure) {
        if (state != State.SCANNING) {
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            LOG.warn("The daemon's status could not be gathered: {}", cause.toString());
            finishWithError("Status not available: " + cause);
            return;
        }
        state = State.DONE;
        ctx.writeAndFlush(ProtocolLines.status(StatusJson.line(status))).addListener(writeFailureListener)
                .addListener(ChannelFutureListener.CLOSE);
        // Monitoring polls it: at info every poll would be a log line.
        LOG.debug("Answered a status request in {} ms", TimeUnit.NANOSECONDS.toMillis(now() - receivedAtNanos));
    }

    private void judged(List<JudgedSample> outcomes, Throwable failure) {
        if (state != State.SCANNING) {
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            if (cause instanceof RejectedRequestException rejected) {
                LOG.info("Engine refused the request: {}", rejected.getMessage());
                finishWithError(String.valueOf(rejected.getMessage()));
            } else {
                LOG.error("The engine failed to scan {} file(s)", files.size(), cause);
                finishWithError(INTERNAL_ERROR);
            }
            return;
        }
        if (outcomes == null || outcomes.size() != files.size() || outcomes.contains(null)) {
            LOG.error("The engine answered {} file(s) with {}", files.size(),
                    outcomes == null ? "nothing" : outcomes.size() + " judgement(s)");
            finishWithError(INTERNAL_ERROR);
            return;
        }
        report(outcomes);
    }

    private void keepAlive() {
        if (state == State.SCANNING) {
            write(ProtocolLines.keepAlive());
            ctx.flush();
        }
    }

    /**
     * The client's patience is over: files still being judged are reported {@code unchecked}.
     * Their analysis goes on and answers the retry. An engine that has not even taken the request
     * leaves every file undecided alike.
     */
    private void deadlineReached() {
        if (state != State.SCANNING) {
            return;
        }
        SampleVerdict stillRunning = Undecided.DEADLINE.verdict(ProtocolLines.duration(settings.requestDeadline()));
        List<JudgedSample> outcomes = job != null
                ? job.decidedSoFar(stillRunning)
                : java.util.Collections.nCopies(files.size(), JudgedSample.undecided(stillRunning));
        LOG.info("Request deadline of {} reached with {} of {} file(s) still being analysed",
                ProtocolLines.duration(settings.requestDeadline()),
                outcomes.stream().filter(outcome -> outcome.verdict() == stillRunning).count(), files.size());
        report(outcomes);
    }

    private void report(List<JudgedSample> outcomes) {
        state = State.DONE;
        stopTimers();
        List<FileReport> reports = new ArrayList<>(files.size());
        List<Verdict> verdicts = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            SampleDeclaration file = files.get(i);
            JudgedSample outcome = outcomes.get(i);
            String sha256 = outcome.sample() == null ? null : outcome.sample().sha256();
            FileReport report = ProtocolLines.fileReport(file.fullName(), sha256, file.nameDeclared(),
                    outcome.verdict(), outcome.members());
            reports.add(report);
            verdicts.add(report.verdict());
        }
        ReplyBudget.FittedReport fitted = replyBudget.fit(reports, sentBytes);
        fitted.lines().forEach(this::write);
        Verdict collection = Verdict.worst(verdicts);
        finish(collection);
        if (fitted.shortening() != ReplyBudget.Shortening.NONE) {
            // Nothing is lost for the operator: the engine logs every sample's verdict.
            LOG.info("Shortened the report of {} file(s) to {} line(s) ({}) to stay within max_reply_size of {}"
                    + " bytes", files.size(), fitted.lines().size(), fitted.shortening(), settings.maxReplyBytes());
        }
        LOG.info("Categorized {} file(s) as {} in {} ms", files.size(), collection.label(),
                TimeUnit.NANOSECONDS.toMillis(now() - receivedAtNanos));
    }

    private void finishWithError(String message) {
        state = State.DONE;
        stopTimers();
        write(ProtocolLines.error(message));
        finish(Verdict.UNCHECKED);
    }

    private void finish(Verdict collection) {
        write(ProtocolLines.categorized(collection));
        ctx.writeAndFlush(ResponseLine.EMPTY).addListener(writeFailureListener).addListener(ChannelFutureListener.CLOSE);
    }

    private void write(ResponseLine line) {
        sentBytes += line.wireLength();
        ctx.write(line).addListener(writeFailureListener);
    }

    private void onWriteFailure(Throwable cause) {
        if (state == State.DONE && !ctx.channel().isOpen()) {
            return;
        }
        connection.enter();
        try {
            LOG.info("Client went away: {}", cause == null ? "write failed" : cause.toString());
            stopTimers();
            state = State.DONE;
            ctx.close();
        } finally {
            connection.exit();
        }
    }

    private void stopTimers() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /**
     * Runs continuations on this channel's event loop with the connection's MDC. If the loop
     * is already shut down the continuation is dropped: the connection is gone with it, and
     * throwing here would hit the engine thread that completed the future.
     */
    private Executor onEventLoop() {
        return task -> {
            try {
                ctx.executor().execute(connection.wrap(task));
            } catch (RejectedExecutionException e) {
                LOG.debug("Event loop is shut down; dropping a continuation");
            }
        };
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
