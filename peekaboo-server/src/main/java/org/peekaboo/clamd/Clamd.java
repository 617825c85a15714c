package org.peekaboo.clamd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.config.ClamdSettings;
import org.peekaboo.config.ClientNetwork;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.peekaboo.listener.UnixListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * clamd's protocol as a front end (docs/clamd.md): Exim, clamav-milter, rspamd, amavis and
 * clamdscan talk it without plugins.
 */
public final class Clamd {
    private static final Logger LOG = LoggerFactory.getLogger(Clamd.class);

    private Clamd() {
    }

    /**
     * Listens on the configured Unix socket and/or TCP address.
     *
     * @param allowed  the allowed directories, {@code spool}'s directory among them
     * @param blocking runs directory walks and INSTREAM spool writes off the event loops
     * @return what was bound
     * @throws org.peekaboo.listener.ListenerException when one cannot be bound; none is left listening then
     */
    public static List<BoundListener> listen(Listeners listeners, ClamdSettings settings, ScanService engine,
                                             AllowedDirectories allowed, StreamSpool spool, Executor blocking,
                                             String version, List<ClientNetwork> allowedClients) {
        ClamdService service = new ClamdService(settings, new ClamdReplies(settings.profile(), version, Instant.now()),
                engine, allowed, spool, blocking, new ClamdStats());
        ClamdChannelInitializer pipeline = new ClamdChannelInitializer(service);
        ClamdRefusal refusal = new ClamdRefusal();
        List<BoundListener> bound = new ArrayList<>(2);
        try {
            // FILDES passes the file over the Unix socket: its reads must be able to take a descriptor.
            settings.socketFile().ifPresent(socket -> bound.add(listeners.bindReceivingDescriptors(
                    UnixListener.of(socket).withMode(settings.socketMode()), pipeline, refusal)));
            settings.listen().ifPresent(address -> bound.add(listeners.bind(TcpListener.of(address, allowedClients),
                    pipeline, refusal)));
        } catch (RuntimeException e) {
            bound.forEach(listeners::unbind);
            throw e;
        }
        bound.forEach(listener -> LOG.info("clamd front end ({} profile) listening on {}", settings.profile().label(),
                listener.description()));
        return List.copyOf(bound);
    }
}
