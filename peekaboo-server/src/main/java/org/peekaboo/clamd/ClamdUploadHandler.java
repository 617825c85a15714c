package org.peekaboo.clamd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.peekaboo.listener.ConnectionContext;
import org.peekaboo.listener.ShutdownNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spools INSTREAM data to a file, off the event loop: the framer's chunks are written in order
 * on the blocking executor ({@link SpoolWriter}), and the stream's end is passed on as
 * {@link ClamdInput.StreamReceived}, whose file is ready once the last write is done. The
 * commands and everything else go on unchanged.
 *
 * <p>Back-pressure: while more than {@link #MAX_UNWRITTEN} bytes wait for the disk, the
 * connection is not read; reading resumes when the backlog is down to half of that, so a fast
 * client on a slow disk costs a bounded amount of memory.
 *
 * <p>A stream cut off (the client closes its side, the connection ends, the size limit, the
 * daemon stops) is dropped: its file is deleted once the writes already started are over.
 */
final class ClamdUploadHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClamdUploadHandler.class);
    /** Bytes received but not yet written beyond which the connection is not read. */
    static final long MAX_UNWRITTEN = 1024 * 1024;

    private final StreamSpool spool;
    private final Executor blocking;
    private final ReadGate gate;
    private final ConnectionContext connection;
    private ChannelHandlerContext ctx;
    private SpoolWriter writer;
    private long unwritten;

    ClamdUploadHandler(StreamSpool spool, Executor blocking, ReadGate gate, ConnectionContext connection) {
        this.spool = spool;
        this.blocking = blocking;
        this.gate = gate;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        switch (msg) {
            case ByteBuf data -> chunk(data);
            case ClamdInput.Command command -> {
                if (command.opensStream()) {
                    abort();
                    writer = SpoolWriter.start(spool, offEventLoop());
                }
                context.fireChannelRead(command);
            }
            case ClamdInput.StreamEnd end -> {
                // Without a writer the stream was dropped already; nobody waits for its end.
                if (writer != null) {
                    SpoolWriter done = writer;
                    writer = null;
                    context.fireChannelRead(new ClamdInput.StreamReceived(done.finish()));
                }
            }
            case ClamdInput.StreamTooLong tooLong -> {
                abort();
                context.fireChannelRead(tooLong);
            }
            case ClamdInput.DescriptorWithoutFildes stray -> {
                abort();
                context.fireChannelRead(stray);
            }
            default -> context.fireChannelRead(msg);
        }
    }

    private void chunk(ByteBuf data) {
        if (writer == null) {
            data.release();
            return;
        }
        long size = data.readableBytes();
        unwritten += size;
        if (unwritten > MAX_UNWRITTEN) {
            gate.hold(ReadGate.Reason.SPOOL_BACKLOG);
        }
        writer.write(data).whenCompleteAsync((ok, failure) -> written(size), onEventLoop());
    }

    private void written(long size) {
        unwritten -= size;
        if (unwritten <= MAX_UNWRITTEN / 2) {
            gate.release(ReadGate.Reason.SPOOL_BACKLOG);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof ChannelInputShutdownEvent || event == ShutdownNotice.INSTANCE) {
            abort();
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        abort();
        super.channelInactive(context);
    }

    private void abort() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
    }

    private Executor offEventLoop() {
        return task -> {
            Runnable withContext = connection.wrap(task);
            try {
                blocking.execute(withContext);
            } catch (RejectedExecutionException e) {
                // Only while the daemon stops: finishing here beats leaking the chunk's buffer and the file.
                LOG.debug("Blocking executor is shut down; finishing a spool step in place");
                withContext.run();
            }
        };
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
