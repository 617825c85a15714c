package org.peekaboo.clamd;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.peekaboo.analysis.ScanJob;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.listener.ConnectionContext;
import org.peekaboo.listener.ReceivedDescriptor;
import org.peekaboo.listener.ShutdownNotice;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.peekaboo.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers clamd's commands: the fixed replies, and the streams and paths the engine judges. Each
 * {@link ClamdRequest} gets one {@link ClamdAnswer}, written towards {@link ClamdSessionHandler},
 * which orders and numbers them.
 *
 * <p>All state is touched on the event loop; the engine's futures hop back to it. A verdict not
 * there within {@code reply_deadline} is answered as undecided (per profile) while the analysis
 * goes on and stores its result for the retry. Nothing undecided is ever answered {@code OK}.
 */
final class ClamdCommandHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClamdCommandHandler.class);
    private static final String INTERNAL_ERROR = "Internal error in Peekaboo";

    private enum Scan { SCAN, CONTSCAN, MULTISCAN, ALLMATCHSCAN }

    /** One request until it is answered. */
    private static final class Reply {
        final long id;
        ScheduledFuture<?> deadline;
        boolean answered;

        Reply(long id) {
            this.id = id;
        }
    }

    private final ClamdService service;
    private final ConnectionContext connection;
    /** Replies with a running deadline, cancelled when the connection ends. */
    private final Set<Reply> waiting = new HashSet<>();
    private ChannelHandlerContext ctx;
    private boolean closed;
    private boolean stopping;
    /** The INSTREAM whose data ClamdUploadHandler is spooling. */
    private Reply stream;

    ClamdCommandHandler(ClamdService service, ConnectionContext connection) {
        this.service = service;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        service.stats().connected();
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        connection.enter();
        try {
            switch (msg) {
                case ClamdRequest request -> request(request);
                case ClamdInput.StreamReceived received -> streamReceived(received);
                default -> {
                    LOG.warn("Dropping unexpected message {}", msg.getClass().getName());
                    ReferenceCountUtil.release(msg);
                }
            }
        } finally {
            connection.exit();
        }
    }

    private void request(ClamdRequest request) {
        Reply reply = new Reply(request.id());
        String name = request.name();
        String argument = request.argument();
        switch (argument == null ? name : name + " _") {
            case "PING" -> answer(reply, ClamdReplies.PONG);
            case "VERSION" -> answer(reply, service.replies().version());
            case "VERSIONCOMMANDS" -> {
                if (request.prefixed()) {
                    answer(reply, service.replies().versionCommands());
                } else {
                    unknown(reply);
                }
            }
            case "STATS" -> answer(reply, service.stats().block());
            case "INSTREAM" -> {
                if (request.prefixed()) {
                    stream = reply;
                } else {
                    unknown(reply);
                }
            }
            case "FILDES" -> fildes(reply, request.descriptor());
            case "SCAN _", "CONTSCAN _", "MULTISCAN _", "ALLMATCHSCAN _" ->
                    scanPath(reply, Scan.valueOf(name), argument);
            // Still parsed by clamd, which does nothing and closes.
            case "DETSTATS", "DETSTATSCLEAR" -> answer(reply, List.of(), false);
            case "RELOAD", "SHUTDOWN", "QUIT" -> answer(reply, ClamdReplies.COMMAND_UNAVAILABLE);
            default -> unknown(reply);
        }
    }

    private void unknown(Reply reply) {
        LOG.info("Unknown command; closing");
        answer(reply, List.of(ClamdReplies.UNKNOWN_COMMAND), true);
    }

    private void answer(Reply reply, String line) {
        answer(reply, List.of(line), false);
    }

    private void answer(Reply reply, List<String> lines) {
        answer(reply, lines, false);
    }

    private void answer(Reply reply, List<String> lines, boolean ends) {
        if (reply.answered) {
            return;
        }
        reply.answered = true;
        waiting.remove(reply);
        if (reply.deadline != null) {
            reply.deadline.cancel(false);
        }
        ctx.write(new ClamdAnswer(reply.id, lines, ends));
    }

    /** The stream's data is in; it is judged once its file is written (on the blocking executor). */
    private void streamReceived(ClamdInput.StreamReceived received) {
        Reply reply = stream;
        stream = null;
        received.file().whenCompleteAsync((file, failure) -> {
            if (reply == null || closed || stopping || reply.answered) {
                // Nobody waits for this stream any more (the connection ended, the daemon stops).
                if (file != null) {
                    service.spool().delete(file);
                }
            } else if (failure != null) {
                answer(reply, "Error writing to temporary file ERROR");
            } else {
                judgeSpooled(reply, ClamdReplies.STREAM, file);
            }
        }, onEventLoop());
    }

    /** Judges a spooled file (an INSTREAM's or a passed descriptor's), answered as {@code subject}. */
    private void judgeSpooled(Reply reply, String subject, Path file) {
        judge(reply, List.of(file.toString()), outcomes -> List.of(
                service.replies().verdict(subject, outcomes.get(0))),
                failure -> List.of(failure instanceof RejectedRequestException
                        ? ClamdReplies.error(subject, String.valueOf(failure.getMessage()))
                        : service.replies().unchecked(subject, INTERNAL_ERROR)),
                () -> service.spool().delete(file));
    }

    /**
     * FILDES: the file behind the descriptor is copied to the spool off the event loop (the
     * descriptor closed then) and judged like a stream, answered as {@code fd[<n>]}.
     */
    private void fildes(Reply reply, ReceivedDescriptor descriptor) {
        if (descriptor == null) {
            answer(reply, ClamdReplies.NO_FILE_DESCRIPTOR);
            return;
        }
        String subject = ClamdReplies.descriptor(descriptor);
        long limit = service.settings().streamMaxLength();
        CompletableFuture<DescriptorCopy.Outcome> copy;
        try {
            copy = CompletableFuture.supplyAsync(() -> DescriptorCopy.copy(descriptor, service.spool(), limit),
                    service.blocking());
        } catch (RejectedExecutionException e) {
            descriptor.release();
            answer(reply, service.replies().unchecked(subject, "Peekaboo is shutting down"));
            return;
        }
        copy.whenCompleteAsync((outcome, failure) -> {
            if (closed || stopping || reply.answered) {
                if (outcome instanceof DescriptorCopy.Outcome.Copied copied) {
                    service.spool().delete(copied.file());
                }
                return;
            }
            switch (outcome) {
                case DescriptorCopy.Outcome.Copied copied -> judgeSpooled(reply, subject, copied.file());
                case DescriptorCopy.Outcome.NotRegular notRegular ->
                        answer(reply, ClamdReplies.error(subject, ClamdReplies.NOT_A_REGULAR_FILE));
                case DescriptorCopy.Outcome.TooLarge tooLarge -> answer(reply, service.replies().unchecked(subject,
                        "larger than stream_max_length of " + limit + " bytes"));
                case DescriptorCopy.Outcome.Failed failed ->
                        answer(reply, service.replies().unchecked(subject, failed.reason()));
                case null -> {
                    LOG.error("Could not copy the file passed as {}", subject, failure);
                    answer(reply, service.replies().unchecked(subject, INTERNAL_ERROR));
                }
            }
        }, onEventLoop());
    }

    private void scanPath(Reply reply, Scan kind, String named) {
        CompletableFuture.supplyAsync(() -> PathScan.of(named, service.allowed(), service.settings().maxScanFiles()),
                        service.blocking())
                .whenCompleteAsync((scan, failure) -> {
                    if (failure != null) {
                        LOG.error("Could not list {}", named, failure);
                        answer(reply, service.replies().unchecked(named, INTERNAL_ERROR));
                    } else {
                        judgePaths(reply, kind, named, scan);
                    }
                }, onEventLoop());
    }

    private void judgePaths(Reply reply, Scan kind, String named, PathScan scan) {
        if (scan.files().isEmpty()) {
            answer(reply, scan.errors().isEmpty() ? List.of(named + ": OK") : scan.errors());
            return;
        }
        judge(reply, scan.files(), outcomes -> {
            List<String> lines = new ArrayList<>(scan.errors());
            for (int i = 0; i < outcomes.size(); i++) {
                JudgedSample outcome = outcomes.get(i);
                if (ClamdReplies.isGood(outcome)) {
                    continue;
                }
                lines.add(service.replies().verdict(scan.files().get(i), outcome));
                if (kind == Scan.SCAN && outcome.verdict().verdict() == Verdict.BAD) {
                    break;
                }
            }
            // Any error line keeps the OK away: clients that look for "OK" anywhere must not see one.
            return lines.isEmpty() ? List.of(named + ": OK") : lines;
        }, failure -> List.of(failure instanceof RejectedRequestException
                ? ClamdReplies.error(named, PathScan.ACCESS_DENIED)
                : service.replies().unchecked(named, INTERNAL_ERROR)), () -> { });
    }

    /**
     * Starts judging {@code files}, answers {@code reply} with {@code format} of the outcomes, or
     * at the reply deadline with what is decided so far, and runs {@code done} once the analysis
     * is over (even long after the answer).
     */
    private void judge(Reply reply, List<String> files, Function<List<JudgedSample>, List<String>> format,
                       Function<Throwable, List<String>> failed, Runnable done) {
        Duration patience = service.settings().replyDeadline();
        ScanJob job;
        try {
            job = service.engine().start(files.stream().map(SampleDeclaration::ofPath).toList(), patience);
        } catch (RuntimeException e) {
            LOG.error("The engine failed to start", e);
            done.run();
            answer(reply, failed.apply(e));
            return;
        }
        service.stats().scanStarted();
        job.done().whenComplete((outcomes, failure) -> {
            service.stats().scanEnded();
            done.run();
        });
        waiting.add(reply);
        reply.deadline = ctx.executor().schedule(connection.wrap(() -> {
            if (!reply.answered) {
                SampleVerdict stillRunning = Undecided.DEADLINE.verdict(duration(patience));
                LOG.info("Reply deadline of {} reached; answering undecided files as such", duration(patience));
                answer(reply, format.apply(job.decidedSoFar(stillRunning)));
            }
        }), patience.toNanos(), TimeUnit.NANOSECONDS);
        job.done().whenCompleteAsync((outcomes, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (!(cause instanceof RejectedRequestException)) {
                    LOG.error("The engine failed", cause);
                }
                answer(reply, failed.apply(cause));
            } else if (outcomes == null || outcomes.size() != files.size() || outcomes.contains(null)) {
                answer(reply, failed.apply(new IllegalStateException("wrong number of judgements")));
            } else {
                answer(reply, format.apply(outcomes));
            }
        }, onEventLoop());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event == ShutdownNotice.INSTANCE) {
            // ClamdSessionHandler has answered what is open; streams still being written are deleted.
            stopping = true;
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        connection.enter();
        try {
            closed = true;
            waiting.forEach(reply -> reply.deadline.cancel(false));
            waiting.clear();
            service.stats().disconnected();
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
            } else {
                LOG.error("Unexpected failure in the clamd front end", cause);
            }
            context.close();
        } finally {
            connection.exit();
        }
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private Executor onEventLoop() {
        return task -> {
            try {
                ctx.executor().execute(connection.wrap(task));
            } catch (RejectedExecutionException e) {
                LOG.debug("Event loop is shut down; dropping a continuation");
            }
        };
    }
}
