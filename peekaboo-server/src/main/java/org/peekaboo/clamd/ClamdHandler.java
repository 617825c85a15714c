package org.peekaboo.clamd;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
import org.peekaboo.listener.ShutdownNotice;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.peekaboo.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One clamd connection: a single command, or an IDSESSION of pipelined ones whose replies carry
 * the request number and are written in request order. Commands clamd refuses inside a session,
 * unknown commands and framing errors end the connection as clamd does.
 *
 * <p>All state is touched on the event loop; the engine's futures hop back to it. A verdict not
 * there within {@code reply_deadline} is answered as undecided (per profile) while the analysis
 * goes on and stores its result for the retry. Nothing undecided is ever answered {@code OK}.
 */
final class ClamdHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClamdHandler.class);
    private static final String INTERNAL_ERROR = "Internal error in Peekaboo";
    private static final String SHUTTING_DOWN = "Peekaboo is shutting down";
    /**
     * Replies a session may have outstanding before Peekaboo stops reading its further requests
     * (amavis keeps 8 in flight); bounds the spooled streams and running scans one client can start.
     */
    static final int MAX_OUTSTANDING = 32;

    private enum Scan { SCAN, CONTSCAN, MULTISCAN, ALLMATCHSCAN }

    /** The reply to one command; lines stay null until it is decided. */
    private static final class Pending {
        final String prefix;
        final Terminator terminator;
        /** What an undecided answer names: {@code stream} or the path the client named. */
        String subject = ClamdReplies.STREAM;
        List<String> lines;
        ScheduledFuture<?> deadline;

        Pending(String prefix, Terminator terminator) {
            this.prefix = prefix;
            this.terminator = terminator;
        }
    }

    private final ClamdService service;
    private final ConnectionContext connection;
    private final ReadGate gate;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean session;
    private int nextId = 1;
    private boolean closeWhenAnswered;
    private boolean closed;
    /** The reply of the INSTREAM whose data is being received ({@link ClamdUploadHandler} spools it). */
    private Pending upload;

    ClamdHandler(ClamdService service, ConnectionContext connection, ReadGate gate) {
        this.service = service;
        this.connection = connection;
        this.gate = gate;
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
                case ClamdInput.Command command -> command(command);
                case ClamdInput.StreamReceived received -> streamReceived(received);
                case ClamdInput.StreamTooLong tooLong -> streamTooLong();
                case ClamdInput.CommandTooLong tooLong -> {
                    LOG.info("Command longer than {} bytes; closing", ClamdFramer.MAX_COMMAND_LENGTH);
                    closeNow();
                }
                default -> {
                    LOG.warn("Dropping unexpected message {}", msg.getClass().getName());
                    ReferenceCountUtil.release(msg);
                }
            }
        } finally {
            connection.exit();
        }
    }

    private void command(ClamdInput.Command command) {
        if (closed || closeWhenAnswered) {
            return;
        }
        Terminator terminator = command.terminator();
        if (session && terminator == Terminator.LEGACY) {
            // clamd 1.4 neither answers nor reads on; it closes once the client does.
            LOG.info("Command without z/n prefix inside IDSESSION; reading no further");
            closeWhenAnswered = true;
            stopReading();
            return;
        }
        String text = command.text();
        int space = text.indexOf(' ');
        String name = space < 0 ? text : text.substring(0, space);
        String argument = space < 0 ? null : text.substring(space + 1);
        boolean prefixed = terminator != Terminator.LEGACY;
        if (name.equals("IDSESSION") && argument == null && prefixed && !session) {
            session = true;
            return;
        }
        if (name.equals("END") && argument == null && prefixed && session) {
            closeWhenAnswered = true;
            stopReading();
            flush();
            return;
        }
        Pending reply = new Pending(session ? (nextId++) + ": " : "", terminator);
        pending.add(reply);
        if (pending.size() >= MAX_OUTSTANDING) {
            // Backpressure: the client's further requests wait in the socket until replies are out.
            gate.hold(ReadGate.Reason.OUTSTANDING_REPLIES);
        }
        if (!session) {
            // Without IDSESSION a connection carries one command.
            closeWhenAnswered = true;
        }
        LOG.debug("Command {}", name);
        switch (argument == null ? name : name + " _") {
            case "PING" -> answer(reply, ClamdReplies.PONG);
            case "VERSION" -> answer(reply, service.replies().version());
            case "VERSIONCOMMANDS" -> answer(reply, prefixed ? service.replies().versionCommands()
                    : ClamdReplies.UNKNOWN_COMMAND);
            case "STATS" -> answer(reply, service.stats().block());
            case "INSTREAM" -> {
                if (prefixed) {
                    upload = reply;
                } else {
                    unknown(reply);
                }
            }
            case "FILDES" -> answer(reply, ClamdReplies.NO_FILE_DESCRIPTOR);
            case "SCAN _" -> scanPath(reply, Scan.SCAN, argument);
            case "CONTSCAN _", "MULTISCAN _", "ALLMATCHSCAN _" -> {
                if (session) {
                    invalidInSession(reply);
                } else {
                    scanPath(reply, Scan.valueOf(name), argument);
                }
            }
            case "DETSTATS", "DETSTATSCLEAR" -> {
                // Still parsed by clamd, which does nothing and closes.
                if (session) {
                    invalidInSession(reply);
                } else {
                    answer(reply, List.of());
                }
            }
            case "RELOAD", "SHUTDOWN", "QUIT" -> {
                if (session) {
                    invalidInSession(reply);
                } else {
                    answer(reply, ClamdReplies.COMMAND_UNAVAILABLE);
                }
            }
            case "IDSESSION" -> {
                if (session) {
                    invalidInSession(reply);
                } else {
                    unknown(reply);
                }
            }
            default -> unknown(reply);
        }
        if (!session) {
            stopReading();
        }
    }

    private void unknown(Pending reply) {
        LOG.info("Unknown command; closing");
        endWith(reply, ClamdReplies.UNKNOWN_COMMAND);
    }

    private void invalidInSession(Pending reply) {
        LOG.info("Command not allowed inside IDSESSION; closing");
        endWith(reply, ClamdReplies.INVALID_IN_SESSION);
    }

    /** Answers {@code reply} and ends the connection once everything before it is written too. */
    private void endWith(Pending reply, String line) {
        if (!pending.contains(reply)) {
            pending.add(reply);
        }
        closeWhenAnswered = true;
        stopReading();
        answer(reply, line);
    }

    private void answer(Pending reply, String line) {
        answer(reply, List.of(line));
    }

    private void answer(Pending reply, List<String> lines) {
        if (reply.lines != null) {
            return;
        }
        reply.lines = List.copyOf(lines);
        if (reply.deadline != null) {
            reply.deadline.cancel(false);
        }
        flush();
    }

    /** Writes the decided replies at the head, in request order; closes once all are out if so decided. */
    private void flush() {
        if (closed) {
            return;
        }
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().lines != null) {
            Pending reply = pending.poll();
            for (String line : reply.lines) {
                ctx.write(new ClamdReplyLine(reply.prefix, line, reply.terminator))
                        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                wrote = true;
            }
        }
        if (pending.size() < MAX_OUTSTANDING && !closeWhenAnswered) {
            gate.release(ReadGate.Reason.OUTSTANDING_REPLIES);
        }
        if (pending.isEmpty() && closeWhenAnswered && upload == null) {
            closed = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (wrote) {
            ctx.flush();
        }
    }

    /** The stream's data is in; it is judged once its file is written (on the blocking executor). */
    private void streamReceived(ClamdInput.StreamReceived received) {
        Pending reply = upload;
        upload = null;
        received.file().whenCompleteAsync((file, failure) -> {
            if (reply == null || closed || reply.lines != null) {
                // Nobody waits for this stream any more (the connection ended, the daemon stops).
                if (file != null) {
                    service.spool().delete(file);
                }
            } else if (failure != null) {
                answer(reply, "Error writing to temporary file ERROR");
            } else {
                judgeStream(reply, file);
            }
        }, onEventLoop());
    }

    private void judgeStream(Pending reply, Path file) {
        judge(reply, List.of(file.toString()), outcomes -> List.of(
                service.replies().verdict(ClamdReplies.STREAM, outcomes.get(0))),
                failure -> List.of(failure instanceof RejectedRequestException
                        ? ClamdReplies.error(ClamdReplies.STREAM, String.valueOf(failure.getMessage()))
                        : service.replies().unchecked(ClamdReplies.STREAM, INTERNAL_ERROR)),
                () -> service.spool().delete(file));
    }

    private void streamTooLong() {
        LOG.info("INSTREAM beyond stream_max_length of {} bytes; closing", service.settings().streamMaxLength());
        // ClamdUploadHandler has dropped the data already.
        Pending dropped = upload;
        upload = null;
        // clamd writes this at once and closes, whatever earlier requests of a session still wait for.
        Pending reply = dropped != null ? dropped : new Pending("", Terminator.NUL);
        pending.remove(reply);
        pending.addFirst(reply);
        pending.removeIf(other -> other != reply);
        endWith(reply, ClamdReplies.SIZE_LIMIT_EXCEEDED);
    }

    private void scanPath(Pending reply, Scan kind, String named) {
        reply.subject = named;
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

    private void judgePaths(Pending reply, Scan kind, String named, PathScan scan) {
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
    private void judge(Pending reply, List<String> files, Function<List<JudgedSample>, List<String>> format,
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
        reply.deadline = ctx.executor().schedule(connection.wrap(() -> {
            if (reply.lines == null) {
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
        connection.enter();
        try {
            if (event instanceof IdleStateEvent) {
                idle();
            } else if (event instanceof ChannelInputShutdownEvent) {
                inputClosed();
            } else if (event == ShutdownNotice.INSTANCE) {
                shuttingDown();
            }
        } finally {
            connection.exit();
        }
        super.userEventTriggered(context, event);
    }

    /** clamd's CommandReadTimeout: a silent client waiting for nothing is told and let go. */
    private void idle() {
        if (closed) {
            return;
        }
        if (upload != null) {
            LOG.info("No INSTREAM data for {}; closing", service.settings().commandReadTimeout());
            dropUpload();
            closeNow();
        } else if (pending.isEmpty() && !closeWhenAnswered) {
            LOG.info("No command within {}; closing", service.settings().commandReadTimeout());
            endWith(new Pending("", Terminator.NEWLINE), ClamdReplies.COMMAND_READ_TIMED_OUT);
        }
    }

    /** The client will send nothing more: an unfinished stream is dropped unanswered, as clamd does. */
    private void inputClosed() {
        if (upload != null) {
            LOG.info("Client closed its side in the middle of an INSTREAM; closing");
            dropUpload();
            closeNow();
            return;
        }
        closeWhenAnswered = true;
        flush();
    }

    private void shuttingDown() {
        for (Pending reply : List.copyOf(pending)) {
            if (reply.lines == null) {
                reply.lines = List.of(service.replies().unchecked(reply.subject, SHUTTING_DOWN));
            }
        }
        dropUpload();
        closeWhenAnswered = true;
        flush();
    }

    /** Forgets the stream being received; ClamdUploadHandler drops its data. */
    private void dropUpload() {
        if (upload != null) {
            pending.remove(upload);
            upload = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        connection.enter();
        try {
            closed = true;
            dropUpload();
            pending.forEach(reply -> {
                if (reply.deadline != null) {
                    reply.deadline.cancel(false);
                }
            });
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
            dropUpload();
            closeNow();
        } finally {
            connection.exit();
        }
    }

    private void closeNow() {
        closed = true;
        stopReading();
        ctx.close();
    }

    private void stopReading() {
        ClamdFramer framer = ctx.pipeline().get(ClamdFramer.class);
        if (framer != null && upload == null) {
            framer.stopReading();
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
