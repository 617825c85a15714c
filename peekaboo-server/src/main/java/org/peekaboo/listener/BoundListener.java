package org.peekaboo.listener;

import java.net.SocketAddress;
import java.util.Objects;

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
}
