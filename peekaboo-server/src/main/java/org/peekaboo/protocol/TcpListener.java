package org.peekaboo.protocol;

import java.util.Objects;

/**
 * An optional TCP listener for the line protocol, for filters on other hosts or in
 * containers. The protocol has no authentication, so it binds to the loopback address
 * unless told otherwise.
 *
 * @param host the address to bind ({@code [server] tcp_host}, default 127.0.0.1)
 * @param port the port ({@code [server] tcp_port}); 0 picks a free one
 */
public record TcpListener(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public TcpListener {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("[server] tcp_host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("[server] tcp_port must be between 0 and 65535, got " + port);
        }
    }

    public static TcpListener localhost(int port) {
        return new TcpListener(DEFAULT_HOST, port);
    }

    @Override
    public String toString() {
        return "tcp:" + host + ":" + port;
    }
}
