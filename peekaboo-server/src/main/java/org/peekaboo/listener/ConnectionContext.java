package org.peekaboo.listener;

import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * Who is on the other end of a connection, for the logs. Event loop threads serve many
 * connections, so the MDC is set around each piece of handler work and cleared after.
 *
 * @param id     a number unique among this server's connections
 * @param client e.g. {@code unix:uid=110,pid=4242} or {@code tcp:127.0.0.1:51234}
 */
public record ConnectionContext(long id, String client) {
    public static final String MDC_CLIENT = "client";
    public static final String MDC_CONNECTION = "connection";

    /** Sets this connection's MDC on the current thread; pair with {@link #exit()} in a finally block. */
    public void enter() {
        MDC.put(MDC_CLIENT, client);
        MDC.put(MDC_CONNECTION, Long.toString(id));
    }

    public void exit() {
        MDC.remove(MDC_CLIENT);
        MDC.remove(MDC_CONNECTION);
    }

    /** {@code task} with this connection's MDC set while it runs. */
    public Runnable wrap(Runnable task) {
        return () -> {
            enter();
            try {
                task.run();
            } finally {
                exit();
            }
        };
    }

    public static ConnectionContext of(long id, Channel channel) {
        return new ConnectionContext(id, describe(channel));
    }

    // Unix socket peers have no address; the kernel's peer credentials say who they are.
    private static String describe(Channel channel) {
        try {
            Optional<UnixPeer> unix = UnixPeer.of(channel);
            if (unix.isPresent()) {
                return "unix:uid=" + unix.get().uid() + ",pid=" + unix.get().pid();
            }
        } catch (IOException e) {
            return "unix";
        }
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress inet) {
            return tcp(inet);
        }
        return String.valueOf(remote);
    }

    /** {@code tcp:host:port}, with IPv6 addresses in brackets. */
    public static String tcp(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return "tcp:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
