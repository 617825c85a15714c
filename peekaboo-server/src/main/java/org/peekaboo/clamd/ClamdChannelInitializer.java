package org.peekaboo.clamd;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.peekaboo.listener.ConnectionContext;

/**
 * The pipeline of one clamd connection: framing, the read timeout, the reply encoder, spooling
 * INSTREAM data, the connection's shape (single command or IDSESSION, reply order) and the
 * commands.
 */
final class ClamdChannelInitializer extends ChannelInitializer<Channel> {
    private final ClamdService service;
    private final AtomicLong connectionIds = new AtomicLong();

    ClamdChannelInitializer(ClamdService service) {
        this.service = service;
    }

    @Override
    protected void initChannel(Channel channel) {
        ConnectionContext connection = ConnectionContext.of(connectionIds.incrementAndGet(), channel);
        ReadGate gate = new ReadGate(channel);
        channel.pipeline()
                .addLast("framer", new ClamdFramer(service.settings().streamMaxLength()))
                .addLast("read-timeout", new IdleStateHandler(service.settings().commandReadTimeout().toNanos(), 0,
                        0, TimeUnit.NANOSECONDS))
                .addLast("reply-encoder", new ClamdReplyEncoder())
                .addLast("upload", new ClamdUploadHandler(service.spool(), service.blocking(), gate, connection))
                .addLast("session", new ClamdSessionHandler(service, connection, gate))
                .addLast("commands", new ClamdCommandHandler(service, connection));
    }
}
