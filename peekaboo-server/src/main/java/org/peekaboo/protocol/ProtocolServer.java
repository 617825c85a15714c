package org.peekaboo.protocol;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.peekaboo.analysis.ScanService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of the line protocol: a Unix socket for amavis and optionally TCP, both on
 * epoll. The event loops only move bytes and timers; all judging happens in the
 * {@link ScanService}, so two threads are plenty.
 */
public final class ProtocolServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServer.class);
    private static final int EVENT_LOOP_THREADS = 2;
    private static final Duration NOTICE_FLUSH_TIME = Duration.ofSeconds(1);

    private final ProtocolSettings settings;
    private final ScanService scanService;
    private final UnixListener unixListener;
    private final Optional<TcpListener> tcpListener;
    private final ChannelGroup openConnections = new DefaultChannelGroup("peekaboo-connections",
            GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new ArrayList<>();
    private EventLoopGroup eventLoops;
    private boolean started;
    private boolean boundSocketFile;

    public ProtocolServer(ProtocolSettings settings, ScanService scanService, UnixListener unixListener,
                          Optional<TcpListener> tcpListener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scanService = Objects.requireNonNull(scanService, "scanService");
        this.unixListener = Objects.requireNonNull(unixListener, "unixListener");
        this.tcpListener = Objects.requireNonNull(tcpListener, "tcpListener");
    }

    /**
     * Binds all listeners.
     *
     * @return what was bound, Unix socket first
     * @throws ProtocolServerException naming the listener and the reason when one cannot be bound;
     *                                 nothing is left listening then
     */
    public synchronized List<BoundListener> start() {
        if (started) {
            throw new IllegalStateException("the line protocol server has already been started");
        }
        started = true;
        if (!Epoll.isAvailable()) {
            throw new ProtocolServerException("The line protocol needs the epoll transport (Linux x86_64), which "
                    + "is not available: " + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
        }
        UnixSocketFile.prepare(unixListener.socketFile());
        eventLoops = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
                new DefaultThreadFactory("peekaboo-protocol"), EpollIoHandler.newFactory());
        ProtocolChannelInitializer initializer = new ProtocolChannelInitializer(settings, scanService,
                openConnections);
        try {
            List<BoundListener> bound = new ArrayList<>(2);
            bound.add(bindUnix(initializer));
            tcpListener.ifPresent(tcp -> bound.add(bindTcp(tcp, initializer)));
            bound.forEach(listener -> LOG.info("Line protocol listening on {}", listener.description()));
            return List.copyOf(bound);
        } catch (RuntimeException e) {
            close(Duration.ZERO);
            throw e;
        }
    }

    private BoundListener bindUnix(ProtocolChannelInitializer initializer) {
        Path socketFile = unixListener.socketFile();
        Channel channel = bind(new ServerBootstrap()
                .group(eventLoops)
                .channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(initializer)
                .bind(new DomainSocketAddress(socketFile.toFile())), "Unix socket " + socketFile);
        boundSocketFile = true;
        UnixSocketFile.applyOwnership(unixListener);
        return new BoundListener(unixListener.toString(), channel.localAddress());
    }

    private BoundListener bindTcp(TcpListener tcp, ProtocolChannelInitializer initializer) {
        InetSocketAddress address = new InetSocketAddress(tcp.host(), tcp.port());
        if (address.isUnresolved()) {
            throw new ProtocolServerException("Cannot listen on " + tcp + ": unknown host \"" + tcp.host()
                    + "\" ([server] listen)");
        }
        Channel channel = bind(new ServerBootstrap()
                .group(eventLoops)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer)
                .bind(address), "TCP " + tcp.host() + ":" + tcp.port());
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        return new BoundListener(ConnectionContext.tcp(local), local);
    }

    private Channel bind(ChannelFuture binding, String what) {
        binding.awaitUninterruptibly();
        if (!binding.isSuccess()) {
            throw new ProtocolServerException("Cannot listen on " + what + ": " + binding.cause().getMessage(),
                    binding.cause());
        }
        serverChannels.add(binding.channel());
        return binding.channel();
    }

    /**
     * Closes the listeners; open conversations go on. The daemon calls this first on shutdown,
     * so that no new conversation starts while the engine finishes the samples under way.
     */
    public synchronized void stopAccepting() {
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly();
        }
        serverChannels.clear();
    }

    /**
     * Stops listening and tells open conversations at once to retry. The daemon closes with its
     * shutdown grace instead, after the engine has answered what it could.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops accepting connections and waits up to {@code grace} for open conversations to
     * end. Conversations still open then are told to retry (their collection is reported
     * unchecked) and closed. Finally the event loops stop and the socket file is removed.
     */
    public synchronized void close(Duration grace) {
        if (eventLoops == null) {
            return;
        }
        stopAccepting();
        if (!openConnections.isEmpty()) {
            LOG.info("Waiting up to {} for {} open conversation(s)", ProtocolLines.duration(grace),
                    openConnections.size());
            openConnections.newCloseFuture().awaitUninterruptibly(grace.toMillis());
        }
        if (!openConnections.isEmpty()) {
            LOG.info("Telling {} conversation(s) still open to retry later", openConnections.size());
            openConnections.forEach(channel -> channel.pipeline().fireUserEventTriggered(ShutdownNotice.INSTANCE));
            openConnections.newCloseFuture().awaitUninterruptibly(NOTICE_FLUSH_TIME.toMillis());
            openConnections.close().awaitUninterruptibly();
        }
        eventLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        eventLoops = null;
        removeSocketFile();
        LOG.info("Line protocol stopped");
    }

    // Netty deletes the socket file when its channel closes; this is the safety net for the
    // case it could not, and it only touches a socket this server bound itself.
    private void removeSocketFile() {
        Path socketFile = unixListener.socketFile();
        if (boundSocketFile && UnixSocketFile.isSocket(socketFile)) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.warn("Could not remove the socket {}: {}", socketFile, e.toString());
            }
        }
        boundSocketFile = false;
    }
}
