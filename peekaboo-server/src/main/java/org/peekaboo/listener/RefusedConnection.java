package org.peekaboo.listener;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end of a refused connection. A client that sent its request before it read the refusal
 * would get a reset instead of the refusal if the connection were closed with its request unread;
 * so the refusal is followed by the end of our output, the client's input is discarded, and the
 * connection is closed when the client closes its side or after a second at most. Only a bounded
 * number linger so; beyond that a refused connection is closed at once (its client then sees a
 * broken connection, which it treats as a failure too, never as a clean answer).
 */
final class RefusedConnection extends ChannelInboundHandlerAdapter {
    static final int MAX_LINGERING = 256;
    private static final long LINGER_MILLIS = 1000;

    private final AtomicInteger lingering;

    private RefusedConnection(AtomicInteger lingering) {
        this.lingering = lingering;
    }

    /** Sends the front end's refusal and ends the connection; no front end ever hears of it. */
    static void refuse(ChannelHandlerContext ctx, Refusal refusal, String reason, AtomicInteger lingering) {
        boolean linger = ctx.channel() instanceof DuplexChannel && lingering.incrementAndGet() <= MAX_LINGERING;
        if (!linger) {
            if (ctx.channel() instanceof DuplexChannel) {
                lingering.decrementAndGet();
            }
            ctx.writeAndFlush(refusal.message(ctx.alloc(), reason)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().addLast("refused", new RefusedConnection(lingering));
        ctx.writeAndFlush(refusal.message(ctx.alloc(), reason)).addListener(written -> {
            if (written.isSuccess()) {
                ((DuplexChannel) ctx.channel()).shutdownOutput();
            } else {
                ctx.close();
            }
        });
        Runnable close = ctx::close;
        ctx.executor().schedule(close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        ReferenceCountUtil.release(event);
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lingering.decrementAndGet();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
