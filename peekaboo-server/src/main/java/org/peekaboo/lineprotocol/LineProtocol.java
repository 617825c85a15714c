package org.peekaboo.lineprotocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.peekaboo.listener.UnixListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PeekabooAV's line protocol (v1.7/2.0) as a front end: amavis with our plugin talks it. */
public final class LineProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(LineProtocol.class);

    private LineProtocol() {
    }

    /**
     * Listens for the line protocol on the Unix socket and, if given, on TCP.
     *
     * @return what was bound, Unix socket first
     * @throws org.peekaboo.listener.ListenerException naming the listener and the reason when one
     *                                                 cannot be bound; then none of them is left listening
     */
    public static List<BoundListener> listen(Listeners listeners, ProtocolSettings settings, ScanService engine,
                                             UnixListener unix, Optional<TcpListener> tcp) {
        ProtocolChannelInitializer pipeline = new ProtocolChannelInitializer(settings, engine);
        List<BoundListener> bound = new ArrayList<>(2);
        try {
            bound.add(listeners.bind(unix, pipeline));
            tcp.ifPresent(address -> bound.add(listeners.bind(address, pipeline)));
        } catch (RuntimeException e) {
            bound.forEach(listeners::unbind);
            throw e;
        }
        bound.forEach(listener -> LOG.info("Line protocol listening on {}", listener.description()));
        return List.copyOf(bound);
    }
}
