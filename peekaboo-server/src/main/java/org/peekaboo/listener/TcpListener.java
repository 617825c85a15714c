package org.peekaboo.listener;

import java.util.List;
import java.util.Objects;
import org.peekaboo.config.ClientNetwork;
import org.peekaboo.config.HostPort;

/**
 * An optional TCP listener for the line protocol ({@code [server] listen}), for filters in
 * containers or on other hosts. The protocol has no authentication, so the loopback address
 * is the default.
 *
 * @param host the address to bind
 * @param port the port; 0 picks a free one
 * @param allowedClients the only addresses and networks that may connect; empty: any (for loopback)
 */
public record TcpListener(String host, int port, List<ClientNetwork> allowedClients) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public TcpListener {
        Objects.requireNonNull(host, "host");
        allowedClients = List.copyOf(allowedClients);
        if (host.isBlank()) {
            throw new IllegalArgumentException("[server] listen: the host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("[server] listen: the port must be between 0 and 65535, got " + port);
        }
    }

    /** A listener that any client who reaches it may use; the configuration only allows that on loopback. */
    public TcpListener(String host, int port) {
        this(host, port, List.of());
    }

    /** The configured {@code [server] listen} with its {@code allowed_client} list. */
    public static TcpListener of(HostPort address, List<ClientNetwork> allowedClients) {
        return new TcpListener(address.host(), address.port(), allowedClients);
    }

    public static TcpListener localhost(int port) {
        return new TcpListener(DEFAULT_HOST, port);
    }

    @Override
    public String toString() {
        return "tcp:" + host + ":" + port;
    }
}
