package org.peekaboo.lineprotocol;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.peekaboo.listener.UnixListener;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.status.StatusSource;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PeekabooAV's line protocol (v1.7/2.0) as a front end: amavis with our plugin talks it. */
public final class LineProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(LineProtocol.class);
    private static final Duration WARM_UP_PATIENCE = Duration.ofSeconds(5);
    /** For a protocol served without a daemon around it (tests): a status request gets an error. */
    static final StatusSource WITHOUT_STATUS = () -> CompletableFuture.failedFuture(
            new IllegalStateException("this server keeps no status"));

    private LineProtocol() {
    }

    /**
     * Answers a ping over the Unix socket just bound and writes a file report in memory once, so
     * that the first client does not wait for the transport, the JSON library and the protocol's
     * classes to load and set up. Failures are only logged: a cold start is slower, not wrong.
     */
    public static void warmUp(UnixListener unix) {
        try {
            if (!LineProtocolClient.unix(unix.socketFile(), WARM_UP_PATIENCE).ping()) {
                LOG.debug("The line protocol's warm-up ping got no pong");
            }
            ClientRequest request = new ScanRequestParser(1).parse(ProtocolLines.scanRequest(
                    List.of(new SampleDeclaration("/warm-up/p001", "warm-up.txt", "text/plain", "attachment"))));
            SampleVerdict verdict = SampleVerdict.of(List.of(RuleResult.stop("warm_up", Result.IGNORED, "warm")), 1);
            ProtocolLines.fileReport("/warm-up/p001", "0".repeat(64), "warm-up.txt", verdict).lines();
            LOG.debug("Line protocol warmed up with {}", request.getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            LOG.debug("Warming the line protocol up failed: {}", e.toString());
        }
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
        return listen(listeners, settings, engine, WITHOUT_STATUS, unix, tcp);
    }

    /**
     * As {@link #listen(Listeners, ProtocolSettings, ScanService, UnixListener, Optional)}, answering
     * status requests from {@code status}.
     */
    public static List<BoundListener> listen(Listeners listeners, ProtocolSettings settings, ScanService engine,
                                             StatusSource status, UnixListener unix, Optional<TcpListener> tcp) {
        ProtocolChannelInitializer pipeline = new ProtocolChannelInitializer(settings, engine, status);
        ProtocolRefusal refusal = new ProtocolRefusal();
        List<BoundListener> bound = new ArrayList<>(2);
        try {
            bound.add(listeners.bind(unix, pipeline, refusal));
            tcp.ifPresent(address -> bound.add(listeners.bind(address, pipeline, refusal)));
        } catch (RuntimeException e) {
            bound.forEach(listeners::unbind);
            throw e;
        }
        bound.forEach(listener -> LOG.info("Line protocol listening on {}", listener.description()));
        return List.copyOf(bound);
    }
}
