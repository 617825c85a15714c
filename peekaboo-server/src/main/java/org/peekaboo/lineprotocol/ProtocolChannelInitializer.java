package org.peekaboo.lineprotocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.concurrent.atomic.AtomicLong;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.listener.ConnectionContext;
import org.peekaboo.status.StatusSource;

/**
 * Assembles the pipeline of one line-protocol connection: framing, request decoding, the
 * idle timeout, response encoding and the conversation.
 */
final class ProtocolChannelInitializer extends ChannelInitializer<Channel> {
    private final ProtocolSettings settings;
    private final ScanService scanService;
    private final StatusSource statusSource;
    private final ResponseLineEncoder encoder = new ResponseLineEncoder();
    private final AtomicLong connectionIds = new AtomicLong();

    ProtocolChannelInitializer(ProtocolSettings settings, ScanService scanService, StatusSource statusSource) {
        this.settings = settings;
        this.scanService = scanService;
        this.statusSource = statusSource;
    }

    @Override
    protected void initChannel(Channel channel) {
        ConnectionContext connection = ConnectionContext.of(connectionIds.incrementAndGet(), channel);
        channel.pipeline()
                .addLast("framer", new RequestLineFramer(settings.maxLineLength()))
                .addLast("decoder", new ScanRequestDecoder(settings.maxLineLength(), settings.maxParts()))
                .addLast("idle-timeout", new RequestIdleTimeoutHandler(settings.idleTimeout()))
                .addLast("encoder", encoder)
                .addLast("conversation", new ScanRequestHandler(settings, scanService, statusSource, connection));
    }
}
