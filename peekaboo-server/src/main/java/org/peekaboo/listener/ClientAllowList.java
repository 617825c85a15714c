package org.peekaboo.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.config.ClientNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses TCP connections from addresses outside {@code [server] allowed_client} at once, before
 * they count against any limit or reach a front end.
 */
@ChannelHandler.Sharable
final class ClientAllowList extends ChannelInboundHandlerAdapter {
    static final String NOT_ALLOWED = "This address may not use Peekaboo ([server] allowed_client)";
    private static final Logger LOG = LoggerFactory.getLogger(ClientAllowList.class);

    private final List<ClientNetwork> allowed;
    private final Refusal refusal;
    private final AtomicInteger lingering;
    private final RefusalLog refusals = new RefusalLog(LOG);

    ClientAllowList(List<ClientNetwork> allowed, Refusal refusal, AtomicInteger lingering) {
        this.allowed = List.copyOf(allowed);
        this.refusal = refusal;
        this.lingering = lingering;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null
                && allowed.stream().anyMatch(network -> network.contains(remote.getAddress()))) {
            ctx.fireChannelActive();
            return;
        }
        refusals.refused(ctx.channel().remoteAddress(), "not in [server] allowed_client");
        RefusedConnection.refuse(ctx, refusal, NOT_ALLOWED, lingering);
    }
}
