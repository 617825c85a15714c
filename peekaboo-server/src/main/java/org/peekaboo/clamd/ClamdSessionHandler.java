package org.peekaboo.clamd;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.peekaboo.listener.ConnectionContext;
import org.peekaboo.listener.ShutdownNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape of one clamd connection: a single command, or an IDSESSION of pipelined ones whose
 * replies carry the request number and are written in request order. It lets each command
 * through to {@link ClamdCommandHandler} as a {@link ClamdRequest} and puts the
 * {@link ClamdAnswer}s written back in order; commands clamd refuses inside a session, the size
 * limit, framing errors, silence, the client's half-close and the daemon's shutdown end the
 * connection here, as clamd does.
 *
 * <p>All state is touched on the event loop.
 */
final class ClamdSessionHandler extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClamdSessionHandler.class);
    private static final String SHUTTING_DOWN = "Peekaboo is shutting down";
    /**
     * Replies a session may have outstanding before Peekaboo stops reading its further requests
     * (amavis keeps 8 in flight); bounds the spooled streams and running scans one client can start.
     */
    static final int MAX_OUTSTANDING = 32;
    /** What clamd refuses inside IDSESSION (a trailing {@code _} stands for the argument). */
    private static final Set<String> INVALID_IN_SESSION = Set.of("CONTSCAN _", "MULTISCAN _", "ALLMATCHSCAN _",
            "DETSTATS", "DETSTATSCLEAR", "RELOAD", "SHUTDOWN", "QUIT", "IDSESSION");

    /** The reply to one command; lines stay null until it is decided. */
    private static final class Pending {
        final long id;
        final String prefix;
        final Terminator terminator;
        /** What an undecided answer names: {@code stream} or the path the client named. */
        final String subject;
        List<String> lines;

        Pending(long id, String prefix, Terminator terminator, String subject) {
            this.id = id;
            this.prefix = prefix;
            this.terminator = terminator;
            this.subject = subject;
        }
    }

    private final ClamdService service;
    private final ConnectionContext connection;
    private final ReadGate gate;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean session;
    private int nextNumber = 1;
    /** How the latest command ended, which a reply of no request of its own ends with too. */
    private Terminator lastTerminator = Terminator.NUL;
    private long nextId = 1;
    private boolean closeWhenAnswered;
    private boolean closed;
    /** The reply of the INSTREAM whose data is being received ({@link ClamdUploadHandler} spools it). */
    private Pending upload;

    ClamdSessionHandler(ClamdService service, ConnectionContext connection, ReadGate gate) {
        this.service = service;
        this.connection = connection;
        this.gate = gate;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        connection.enter();
        try {
            switch (msg) {
                case ClamdInput.Command command -> {
                    if (!command(command) && command.descriptor() != null) {
                        command.descriptor().release();
                    }
                }
                case ClamdInput.StreamReceived received -> {
                    upload = null;
                    context.fireChannelRead(received);
                }
                case ClamdInput.StreamTooLong tooLong -> {
                    LOG.info("INSTREAM beyond stream_max_length of {} bytes; closing",
                            service.settings().streamMaxLength());
                    // ClamdUploadHandler has dropped the data already.
                    Pending dropped = upload;
                    upload = null;
                    endAtOnce(dropped != null ? dropped : new Pending(0, "", Terminator.NUL, ClamdReplies.STREAM),
                            List.of(ClamdReplies.SIZE_LIMIT_EXCEEDED));
                }
                case ClamdInput.DescriptorWithoutFildes stray -> descriptorWithoutFildes();
                case ClamdInput.CommandTooLong tooLong -> {
                    LOG.info("Command longer than {} bytes; closing", ClamdFramer.MAX_COMMAND_LENGTH);
                    closeNow();
                }
                default -> context.fireChannelRead(msg);
            }
        } finally {
            connection.exit();
        }
    }

    /** @return whether the command went on to the command handler, which then owns its descriptor */
    private boolean command(ClamdInput.Command command) {
        if (closed || closeWhenAnswered) {
            return false;
        }
        Terminator terminator = command.terminator();
        lastTerminator = terminator;
        if (session && terminator == Terminator.LEGACY) {
            // clamd 1.4 neither answers nor reads on; it closes once the client does.
            LOG.info("Command without z/n prefix inside IDSESSION; reading no further");
            closeWhenAnswered = true;
            stopReading();
            return false;
        }
        String text = command.text();
        int space = text.indexOf(' ');
        String name = space < 0 ? text : text.substring(0, space);
        String argument = space < 0 ? null : text.substring(space + 1);
        boolean prefixed = terminator != Terminator.LEGACY;
        if (name.equals("IDSESSION") && argument == null && prefixed && !session) {
            session = true;
            return false;
        }
        if (name.equals("END") && argument == null && prefixed && session) {
            closeWhenAnswered = true;
            stopReading();
            flush();
            return false;
        }
        Pending reply = new Pending(nextId++, session ? (nextNumber++) + ": " : "", terminator,
                argument != null ? argument
                        : command.descriptor() != null ? ClamdReplies.descriptor(command.descriptor())
                        : ClamdReplies.STREAM);
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
        boolean passed = false;
        if (session && INVALID_IN_SESSION.contains(argument == null ? name : name + " _")) {
            LOG.info("Command not allowed inside IDSESSION; closing");
            endWith(reply, List.of(ClamdReplies.INVALID_IN_SESSION));
        } else {
            if (name.equals("INSTREAM") && argument == null && prefixed) {
                upload = reply;
            }
            ctx.fireChannelRead(new ClamdRequest(reply.id, name, argument, terminator, command.descriptor()));
            passed = true;
        }
        if (!session) {
            stopReading();
        }
        return passed;
    }

    /** Takes the command handler's answers in whatever order they come and writes them in request order. */
    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) throws Exception {
        if (!(msg instanceof ClamdAnswer answer)) {
            super.write(context, msg, promise);
            return;
        }
        promise.trySuccess();
        for (Pending reply : pending) {
            if (reply.id == answer.id()) {
                if (answer.ends()) {
                    endWith(reply, answer.lines());
                } else {
                    answer(reply, answer.lines());
                }
                return;
            }
        }
        // Its request was dropped (a cut-off stream, the size limit); nobody waits for it.
    }

    /** Answers {@code reply} and ends the connection once everything before it is written too. */
    private void endWith(Pending reply, List<String> lines) {
        if (!pending.contains(reply)) {
            pending.add(reply);
        }
        closeWhenAnswered = true;
        stopReading();
        answer(reply, lines);
    }

    private void answer(Pending reply, List<String> lines) {
        if (reply.lines != null) {
            return;
        }
        reply.lines = List.copyOf(lines);
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

    /**
     * Answers {@code lines} at once and ends the connection, whatever earlier requests of a session
     * still wait for (clamd does so after the size limit and after a descriptor without FILDES).
     */
    private void endAtOnce(Pending reply, List<String> lines) {
        pending.remove(reply);
        pending.addFirst(reply);
        pending.removeIf(other -> other != reply);
        endWith(reply, lines);
    }

    /**
     * A descriptor came that no FILDES took (the framer closed it). clamd 1.4 ends the connection:
     * in a session with the error numbered as the next request, before any command with a second
     * error line. (After the one command of a connection without session the framer reads no
     * further and this never comes: that command is answered; clamd races that answer against
     * closing the connection.)
     */
    private void descriptorWithoutFildes() {
        LOG.info("File descriptor sent without FILDES; closing");
        dropUpload();
        if (session) {
            endAtOnce(new Pending(0, (nextNumber++) + ": ", lastTerminator, ClamdReplies.STREAM),
                    List.of(ClamdReplies.DESCRIPTOR_WITHOUT_FILDES));
        } else {
            endAtOnce(new Pending(0, "", Terminator.NUL, ClamdReplies.STREAM),
                    List.of(ClamdReplies.DESCRIPTOR_WITHOUT_FILDES, ClamdReplies.ERROR_PROCESSING_COMMAND));
        }
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
            endWith(new Pending(0, "", Terminator.NEWLINE, ClamdReplies.STREAM),
                    List.of(ClamdReplies.COMMAND_READ_TIMED_OUT));
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
        closed = true;
        dropUpload();
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
}
