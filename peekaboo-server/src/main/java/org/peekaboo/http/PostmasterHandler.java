package org.peekaboo.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster's pages under {@code /postmaster}: the overview and the look-up by SHA-256 or
 * job id ({@link PostmasterPage}). The database is read on the blocking executor and the page
 * written from the connection's event loop; every other request passes on to the API.
 */
final class PostmasterHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterHandler.class);
    static final int LATEST = 50;
    static final int PER_SAMPLE = 100;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern JOB_ID = Pattern.compile("[0-9]{1,18}");

    private final AnalysisJournal journal;
    private final Executor blocking;
    private final Clock clock;
    /** Whether the body parts that follow belong to a request this handler answers. */
    private boolean answering;

    PostmasterHandler(AnalysisJournal journal, Executor blocking, Clock clock) {
        this.journal = journal;
        this.blocking = blocking;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && isPostmaster(request)) {
            answering = !(msg instanceof LastHttpContent);
            try {
                answer(ctx, request);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (answering && msg instanceof HttpContent) {
            answering = !(msg instanceof LastHttpContent);
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isPostmaster(HttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        return path.equals(PostmasterPage.PATH) || path.startsWith(PostmasterPage.PATH + "/");
    }

    private void answer(ChannelHandlerContext ctx, HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.method().equals(HttpMethod.GET)) {
            JsonResponses.send(ctx, JsonResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, PostmasterPage.CONTENT_TYPE,
                    "Only GET\n"), keepAlive);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        CompletableFuture<String> page;
        if (uri.path().equals(PostmasterPage.PATH) || uri.path().equals(PostmasterPage.PATH + "/")) {
            page = CompletableFuture.supplyAsync(this::overview, blocking);
        } else if (uri.path().equals(PostmasterPage.PATH + "/lookup")) {
            String query = uri.parameters().getOrDefault("q", List.of("")).getFirst().strip();
            page = CompletableFuture.supplyAsync(() -> lookup(query), blocking);
        } else {
            JsonResponses.send(ctx, JsonResponses.text(HttpResponseStatus.NOT_FOUND, PostmasterPage.CONTENT_TYPE,
                    "Not found\n"), keepAlive);
            return;
        }
        page.whenComplete((html, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                LOG.warn("The postmaster's page could not be made: {}", failure.toString());
                JsonResponses.send(ctx, JsonResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        PostmasterPage.CONTENT_TYPE, "The database could not be read; try again later.\n"), keepAlive);
                return;
            }
            JsonResponses.send(ctx, JsonResponses.text(HttpResponseStatus.OK, PostmasterPage.CONTENT_TYPE, html),
                    keepAlive);
        }));
    }

    private String overview() {
        Instant now = clock.instant();
        List<AnalysisJournal.Counts> hourAndDay = journal.finishedSince(
                List.of(now.minus(Duration.ofHours(1)), now.minus(Duration.ofDays(1))));
        return PostmasterPage.overview(journal.latest(LATEST), hourAndDay.get(0), hourAndDay.get(1), now);
    }

    private String lookup(String query) {
        if (SHA256.matcher(query).matches()) {
            return PostmasterPage.found(query, journal.ofSha256(query, PER_SAMPLE));
        }
        if (JOB_ID.matcher(query).matches()) {
            return PostmasterPage.found(query, journal.ofJob(Long.parseLong(query)));
        }
        return PostmasterPage.found(query, List.of());
    }
}
