package org.peekaboo.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The rest of a refused request's body, read and dropped before the connection closes: closing
 * with unread data makes the kernel reset the connection, and the client may lose the answer
 * explaining the refusal. A body that goes on beyond a bound is cut off all the same.
 */
final class DiscardedBody {
    /** Enough for the uploads mail filters send; the rest is not worth reading. */
    private static final long LIMIT = 8L * 1024 * 1024;
    private long dropped;
    private boolean active;

    void start() {
        active = true;
        dropped = 0;
    }

    boolean active() {
        return active;
    }

    /** Drops {@code content} (the caller releases it) and closes once the body ended or was too long. */
    void drop(ChannelHandlerContext ctx, HttpContent content) {
        dropped += content.content().readableBytes();
        if (content instanceof LastHttpContent || dropped > LIMIT) {
            active = false;
            ctx.close();
        }
    }
}
