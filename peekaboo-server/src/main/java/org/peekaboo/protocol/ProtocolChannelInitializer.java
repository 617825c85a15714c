package org.peekaboo.protocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicLong;
import org.peekaboo.analysis.ScanService;

/**
 * Assembles the pipeline of one line-protocol connection: framing, request decoding, the
 * idle timeout, response encoding and the conversation. It also registers the channel
 * with the server's open connections so shutdown can wait for them.
 */
final class ProtocolChannelInitializer extends ChannelInitializer<Channel> {
    private final ProtocolSettings settings;
    private final ScanService scanService;
    private final ChannelGroup openConnections;
    private final ResponseLineEncoder encoder = new ResponseLineEncoder();
    private final AtomicLong connectionIds = new AtomicLong();

    ProtocolChannelInitializer(ProtocolSettings settings, ScanService scanService, ChannelGroup openConnections) {
        this.settings = settings;
        this.scanService = scanService;
        this.openConnections = openConnections;
    }

    @Override
    protected void initChannel(Channel channel) {
        openConnections.add(channel);
        ConnectionContext connection = ConnectionContext.of(connectionIds.incrementAndGet(), channel);
        channel.pipeline()
                .addLast("framer", new RequestLineFramer(settings.maxLineLength()))
                .addLast("decoder", new ScanRequestDecoder(settings.maxLineLength(), settings.maxParts()))
                .addLast("idle-timeout", new RequestIdleTimeoutHandler(settings.idleTimeout()))
                .addLast("encoder", encoder)
                .addLast("conversation", new ScanRequestHandler(settings, scanService, connection));
    }
}
