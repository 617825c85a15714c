package org.peekaboo.listener;

import java.util.Objects;

/**
 * An optional TCP listener for the line protocol ({@code [server] listen}), for filters in
 * containers or on other hosts. The protocol has no authentication, so the loopback address
 * is the default.
 *
 * @param host the address to bind
 * @param port the port; 0 picks a free one
 */
public record TcpListener(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public TcpListener {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("[server] listen: the host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("[server] listen: the port must be between 0 and 65535, got " + port);
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
