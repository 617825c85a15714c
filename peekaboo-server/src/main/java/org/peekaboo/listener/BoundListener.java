package org.peekaboo.listener;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import org.newsclub.net.unix.AFSocketAddress;

/**
 * A listener the server has bound.
 *
 * @param description for the start-up log, e.g. {@code tcp:127.0.0.1:39211}
 * @param address     the bound address; for TCP with port 0 it carries the port actually chosen
 */
public record BoundListener(String description, SocketAddress address) {
    public BoundListener {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(address, "address");
    }

    /** Whether this listens on TCP: junixsocket's Unix socket addresses are InetSocketAddresses too. */
    public boolean tcp() {
        return address instanceof InetSocketAddress && !(address instanceof AFSocketAddress);
    }
}
