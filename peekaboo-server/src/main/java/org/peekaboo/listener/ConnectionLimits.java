package org.peekaboo.listener;

import org.peekaboo.config.ServerSettings;

/**
 * How many connections the daemon keeps open at once, over all its listeners, and how many of
 * them one client may hold. Beyond either, a connection is refused at once, so a flood of idle
 * connections costs its sender the refusals and everyone else nothing.
 *
 * @param total   connections open at once, over every listener of every front end
 * @param perPeer connections open at once from one client: one address over TCP (loopback counts as
 *                one), one user id over a Unix socket (the kernel's peer credentials)
 */
public record ConnectionLimits(int total, int perPeer) {
    public ConnectionLimits {
        if (total < 1 || perPeer < 1 || perPeer > total) {
            throw new IllegalArgumentException("connection limits must be at least 1, the one per client at most"
                    + " the total; got total " + total + ", per client " + perPeer);
        }
    }

    public static ConnectionLimits of(ServerSettings server) {
        return new ConnectionLimits(server.maxConnections(), server.maxConnectionsPerClient());
    }

    /** The documented {@code [server]} defaults. */
    public static ConnectionLimits defaults() {
        return of(ServerSettings.defaults());
    }
}
