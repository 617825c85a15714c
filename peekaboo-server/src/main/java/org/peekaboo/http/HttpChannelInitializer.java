package org.peekaboo.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one HTTP connection: TLS when configured, the HTTP codec, a read timeout, the
 * {@code 100 Continue} curl waits for, the bearer token, spooling uploads, and the routes.
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    /**
     * A client silent this long mid-request or idle between requests is let go; one waiting for
     * its scan answer is silent for up to {@code scan_wait} more.
     */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private final HttpService service;
    private final Optional<SslContext> tls;

    HttpChannelInitializer(HttpService service, Optional<SslContext> tls) {
        this.service = service;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        tls.ifPresent(context -> pipeline.addLast("tls", context.newHandler(channel.alloc())));
        pipeline.addLast("codec", new HttpServerCodec())
                .addLast("read-timeout", new ReadTimeoutHandler(
                        READ_TIMEOUT.plus(service.settings().scanWait()).toNanos(), TimeUnit.NANOSECONDS))
                .addLast("continue", new HttpServerExpectContinueHandler());
        service.settings().token().ifPresent(token -> pipeline.addLast("token", new BearerTokenHandler(token)));
        pipeline.addLast("upload", new ScanUploadHandler(service))
                .addLast("api", new ApiHandler(service));
    }
}
