package org.peekaboo.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.AttributeKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a new connection within the {@link ConnectionLimits} or refuses it at once: the front
 * end's pipeline is only added to an admitted connection, so a refused one costs no timer, no
 * buffer and no greeting. One per listener (each brings its front end); the counts are shared.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<String> PEER = AttributeKey.valueOf(ConnectionLimiter.class, "peer");

    private final ConnectionCounter counter;
    private final ChannelInitializer<Channel> frontEnd;
    private final Refusal refusal;
    private final RefusalLog refusals = new RefusalLog(LOG);

    ConnectionLimiter(ConnectionCounter counter, ChannelInitializer<Channel> frontEnd, Refusal refusal) {
        this.counter = counter;
        this.frontEnd = frontEnd;
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String peer = ConnectionCounter.peerOf(ctx.channel());
        Optional<String> refused = counter.admit(peer);
        if (refused.isPresent()) {
            refusals.refused(peer, refused.get() + " (" + counter.open() + " open)");
            RefusedConnection.refuse(ctx, refusal, refused.get(), counter.lingering());
            return;
        }
        ctx.channel().attr(PEER).set(peer);
        ctx.pipeline().addLast(frontEnd);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String peer = ctx.channel().attr(PEER).getAndSet(null);
        if (peer != null) {
            counter.release(peer);
        }
        ctx.fireChannelInactive();
    }

}
