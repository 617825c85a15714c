package org.peekaboo.clamd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.config.ClamdProfile;
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
        Instant started = Instant.now();
        ClamdStats stats = new ClamdStats();
        ClamdRefusal refusal = new ClamdRefusal();
        List<BoundListener> bound = new ArrayList<>(2);
        List<ClamdProfile> profiles = new ArrayList<>(2);
        try {
            // FILDES passes the file over the Unix socket: its reads must be able to take a descriptor.
            settings.socketFile().ifPresent(socket -> {
                UnixListener unix = UnixListener.of(socket).withMode(settings.socketMode());
                bound.add(listeners.bindReceivingDescriptors(settings.socketGroup().map(unix::withGroup).orElse(unix),
                        pipeline(settings.socketProfile(), settings, engine, allowed, spool, blocking, version,
                                started, stats), refusal));
                profiles.add(settings.socketProfile());
            });
            settings.listen().ifPresent(address -> {
                bound.add(listeners.bind(TcpListener.of(address, allowedClients), pipeline(settings.listenProfile(),
                        settings, engine, allowed, spool, blocking, version, started, stats), refusal));
                profiles.add(settings.listenProfile());
            });
        } catch (RuntimeException e) {
            bound.forEach(listeners::unbind);
            throw e;
        }
        for (int at = 0; at < bound.size(); at++) {
            LOG.info("clamd front end ({} profile) listening on {}", profiles.get(at).label(), bound.get(at).description());
        }
        return List.copyOf(bound);
    }

    /** Each listener answers undecided files for its own client; both share the counters STATS shows. */
    private static ClamdChannelInitializer pipeline(ClamdProfile profile, ClamdSettings settings, ScanService engine,
                                                    AllowedDirectories allowed, StreamSpool spool, Executor blocking,
                                                    String version, Instant started, ClamdStats stats) {
        return new ClamdChannelInitializer(new ClamdService(settings, new ClamdReplies(profile, version, started),
                engine, allowed, spool, blocking, stats));
    }
}
