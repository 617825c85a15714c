package org.peekaboo.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.peekaboo.config.ClientNetwork;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.ListenerException;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PeekabooAV 2.1's REST API and the health probes over HTTP (docs/http.md): its amavis plugin
 * and the rspamd module only need the host changed.
 */
public final class HttpFrontEnd {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontEnd.class);

    private HttpFrontEnd() {
    }

    /**
     * Listens on the configured address.
     *
     * @throws ListenerException when it cannot be bound or the TLS files are unusable
     */
    public static BoundListener listen(Listeners listeners, HttpService service, List<ClientNetwork> allowedClients) {
        Optional<SslContext> tls = tls(service);
        BoundListener bound = listeners.bind(TcpListener.of(service.settings().listen().orElseThrow(), allowedClients),
                new HttpChannelInitializer(service, tls), HttpFrontEnd::refusal);
        LOG.info("HTTP front end listening on {}{}{}", bound.description(), tls.isPresent() ? " (TLS)" : "",
                service.settings().token().isPresent() ? " (bearer token required)" : "");
        return bound;
    }

    /** A 503 that HTTP clients retry; written before any TLS handshake, so TLS clients see a failed one. */
    private static ByteBuf refusal(ByteBufAllocator allocator, String reason) {
        byte[] body = ("{\"message\": \"Peekaboo refused the connection; retry later\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf message = allocator.buffer(head.length() + body.length);
        message.writeCharSequence(head, StandardCharsets.US_ASCII);
        message.writeBytes(body);
        return message;
    }

    private static Optional<SslContext> tls(HttpService service) {
        if (!service.settings().tls()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SslContextBuilder.forServer(service.settings().tlsCertificate().get().toFile(),
                    service.settings().tlsKey().get().toFile()).build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new ListenerException("Cannot use [http] tls_certificate and tls_key: " + e.getMessage());
        }
    }
}
