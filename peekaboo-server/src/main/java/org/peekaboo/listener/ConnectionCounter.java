package org.peekaboo.listener;

import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections open right now, in total and per client, shared by every listener: the file
 * descriptors they use are the process's. Thread-safe; the event loops admit and release
 * connections concurrently.
 */
final class ConnectionCounter {
    private final ConnectionLimits limits;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perPeer = new ConcurrentHashMap<>();
    /** Refused connections still being ended, which hold a file descriptor for a moment too. */
    private final AtomicInteger lingering = new AtomicInteger();

    ConnectionCounter(ConnectionLimits limits) {
        this.limits = limits;
    }

    /**
     * Counts the connection in, or says why not.
     *
     * @return empty when admitted (then {@link #release} it once); otherwise the reason for the client
     */
    Optional<String> admit(String peer) {
        if (total.incrementAndGet() > limits.total()) {
            total.decrementAndGet();
            return Optional.of("Too many connections (limit " + limits.total() + ", max_connections); please retry"
                    + " later");
        }
        boolean[] refused = {false};
        perPeer.compute(peer, (key, open) -> {
            int now = open == null ? 0 : open;
            if (now >= limits.perPeer()) {
                refused[0] = true;
                return open;
            }
            return now + 1;
        });
        if (refused[0]) {
            total.decrementAndGet();
            return Optional.of("Too many connections from this client (limit " + limits.perPeer()
                    + ", max_connections_per_client); please retry later");
        }
        return Optional.empty();
    }

    void release(String peer) {
        perPeer.computeIfPresent(peer, (key, open) -> open <= 1 ? null : open - 1);
        total.decrementAndGet();
    }

    int open() {
        return total.get();
    }

    AtomicInteger lingering() {
        return lingering;
    }

    /**
     * Who counts as one client: over TCP its address (not the port, which a flood changes every
     * time), over a Unix socket its user id from the kernel, which the client cannot choose. Every
     * loopback address is one client: any local user may connect from any of 127.0.0.0/8, and
     * would otherwise get a share per address.
     */
    static String peerOf(Channel channel) {
        try {
            Optional<UnixPeer> unix = UnixPeer.of(channel);
            if (unix.isPresent()) {
                return "uid " + unix.get().uid();
            }
        } catch (IOException e) {
            return "unix peer without credentials";
        }
        if (channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().isLoopbackAddress() ? "loopback" : inet.getAddress().getHostAddress();
        }
        return String.valueOf(channel.remoteAddress());
    }
}
