package org.peekaboo.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.peekaboo.config.Secret;

/**
 * Lets only requests that carry {@code Authorization: Bearer <token>} reach the API under
 * {@code /v1/} and the postmaster's pages (they show what was sent and why it was judged so); the
 * probes stay open for service managers that cannot send headers. A refused request's body is
 * dropped, never spooled.
 */
final class BearerTokenHandler extends ChannelInboundHandlerAdapter {
    private static final String PREFIX = "Bearer ";
    private final byte[] expected;
    private final DiscardedBody refused = new DiscardedBody();

    BearerTokenHandler(Secret token) {
        this.expected = token.value().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Judged by the decoded path the routes use, not the raw URI: {@code /%761/scan} and
     * {@code /postmaster#x} reach the API and the pages too.
     */
    private static boolean guarded(String uri) {
        String path = new QueryStringDecoder(uri).path();
        return path.startsWith("/v1/") || path.equals(PostmasterPage.PATH) || path.startsWith(PostmasterPage.PATH + "/");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && guarded(request.uri()) && !authorized(request)) {
            refused.start();
            JsonResponses.sendBeforeClosing(ctx, withChallenge(JsonResponses.error(HttpResponseStatus.UNAUTHORIZED,
                    "Missing or wrong bearer token")));
        }
        if (refused.active()) {
            if (msg instanceof HttpContent content) {
                refused.drop(ctx, content);
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static FullHttpResponse withChallenge(FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    private boolean authorized(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        // Constant time, so that the answer's timing tells nothing about how much of a guess was right.
        return MessageDigest.isEqual(expected, header.substring(PREFIX.length()).strip()
                .getBytes(StandardCharsets.UTF_8));
    }
}
