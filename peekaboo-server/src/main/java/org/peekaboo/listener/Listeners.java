package org.peekaboo.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.peekaboo.config.ClientNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's listeners, for every front end, on one small set of epoll event loops: Unix
 * sockets (with their file's permissions and group) and TCP. The event loops only move bytes and
 * timers; the engine does the judging, so two threads serve every connection (two more serve Unix
 * sockets that receive file descriptors, which need another transport). Each front end
 * brings the pipeline of its connections; this class binds it, refuses connections beyond the
 * {@link ConnectionLimits} (and TCP clients outside the allow-list) before they reach it, keeps
 * track of the open connections and takes them down at shutdown.
 */
public final class Listeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private static final int EVENT_LOOP_THREADS = 2;
    private static final Duration NOTICE_FLUSH_TIME = Duration.ofSeconds(1);
    /** Open files the daemon needs besides connections: jars, database, samples being read, epoll. */
    static final int FILES_BESIDES_CONNECTIONS = 256;

    private final ChannelGroup openConnections = new DefaultChannelGroup("peekaboo-connections",
            GlobalEventExecutor.INSTANCE);
    private final Map<BoundListener, Channel> serverChannels = new LinkedHashMap<>();
    private final Map<BoundListener, Path> socketFiles = new HashMap<>();
    private final ConnectionCounter connections;
    private EventLoopGroup eventLoops;
    /** Only for listeners that receive descriptors, created with the first. */
    private EventLoopGroup descriptorEventLoops;

    /** Listeners with the documented default connection limits. */
    public Listeners() {
        this(ConnectionLimits.defaults());
    }

    public Listeners(ConnectionLimits limits) {
        this.connections = new ConnectionCounter(limits);
        OpenFileLimit.soft().ifPresent(files -> {
            int besides = FILES_BESIDES_CONNECTIONS + RefusedConnection.MAX_LINGERING;
            if (limits.total() + besides > files) {
                LOG.warn("The process may open {} files, too few for [server] max_connections = {} and about {}"
                        + " files besides; a flood could exhaust them and starve every client. Raise the limit"
                        + " (systemd: LimitNOFILE) or lower max_connections", files, limits.total(), besides);
            }
        });
    }

    /**
     * Listens on the Unix socket for connections that {@code pipeline} sets up.
     *
     * @throws ListenerException naming the socket and the reason when it cannot be bound
     */
    public synchronized BoundListener bind(UnixListener unix, ChannelInitializer<Channel> pipeline,
                                           Refusal refusal) {
        return bindUnix(unix, new ServerBootstrap()
                .group(eventLoops())
                .channel(EpollServerDomainSocketChannel.class), new DomainSocketAddress(unix.socketFile().toFile()),
                pipeline, refusal);
    }

    /**
     * Listens on the Unix socket for connections that may pass file descriptors: every read is a
     * {@code recvmsg} with room for them, and each arrives in the pipeline as a
     * {@link ReceivedDescriptor} just before the bytes it came with. These connections run on
     * event loops of their own (Netty's NIO transport with junixsocket's channels); the epoll
     * transport reads without a control buffer, and Linux closes a descriptor that arrives then.
     *
     * @throws ListenerException naming the socket and the reason when it cannot be bound
     */
    public synchronized BoundListener bindReceivingDescriptors(UnixListener unix, ChannelInitializer<Channel> pipeline,
                                                               Refusal refusal) {
        AFUNIXSocketAddress address;
        try {
            address = AFUNIXSocketAddress.of(unix.socketFile());
        } catch (IOException e) {
            throw new ListenerException("Cannot listen on Unix socket " + unix.socketFile() + ": " + e.getMessage(), e);
        }
        return bindUnix(unix, new ServerBootstrap()
                .group(descriptorEventLoops())
                .channelFactory(() -> new DescriptorReceivingServerChannel(address)), address, pipeline, refusal);
    }

    private BoundListener bindUnix(UnixListener unix, ServerBootstrap bootstrap, SocketAddress address,
                                   ChannelInitializer<Channel> pipeline, Refusal refusal) {
        Path socketFile = unix.socketFile();
        UnixSocketFile.prepare(socketFile);
        Channel channel = bind(bootstrap
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(tracked(pipeline, Optional.empty(), refusal))
                .bind(address), "Unix socket " + socketFile);
        BoundListener bound = new BoundListener(unix.toString(), channel.localAddress());
        serverChannels.put(bound, channel);
        socketFiles.put(bound, socketFile);
        try {
            UnixSocketFile.applyOwnership(unix);
        } catch (RuntimeException e) {
            unbind(bound);
            throw e;
        }
        return bound;
    }

    /**
     * Listens on TCP for connections that {@code pipeline} sets up.
     *
     * @throws ListenerException naming the address and the reason when it cannot be bound
     */
    public synchronized BoundListener bind(TcpListener tcp, ChannelInitializer<Channel> pipeline,
                                           Refusal refusal) {
        InetSocketAddress address = new InetSocketAddress(tcp.host(), tcp.port());
        if (address.isUnresolved()) {
            throw new ListenerException("Cannot listen on " + tcp + ": unknown host \"" + tcp.host()
                    + "\" ([server] listen)");
        }
        Channel channel = bind(new ServerBootstrap()
                .group(eventLoops())
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(tracked(pipeline, Optional.of(tcp.allowedClients()).filter(list -> !list.isEmpty()),
                        refusal))
                .bind(address), "TCP " + tcp.host() + ":" + tcp.port());
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        BoundListener bound = new BoundListener(ConnectionContext.tcp(local), local);
        serverChannels.put(bound, channel);
        return bound;
    }

    /** Stops one listener, e.g. one a front end bound before another of its listeners failed. */
    public synchronized void unbind(BoundListener listener) {
        Channel channel = serverChannels.remove(listener);
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        Path socketFile = socketFiles.remove(listener);
        if (socketFile != null) {
            removeSocketFile(socketFile);
        }
    }

    /**
     * Every connection joins the open ones first, so that shutdown can wait for it and tell it to
     * retry; then it must pass the allow-list (if any) and the limits, which add the front end's
     * pipeline only to the connections they admit.
     */
    private ChannelHandler tracked(ChannelInitializer<Channel> pipeline, Optional<List<ClientNetwork>> allowed,
                                   Refusal refusal) {
        ConnectionLimiter limiter = new ConnectionLimiter(connections, pipeline, refusal);
        Optional<ClientAllowList> allowList = allowed.map(clients -> new ClientAllowList(clients, refusal,
                connections.lingering()));
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                openConnections.add(channel);
                allowList.ifPresent(handler -> channel.pipeline().addLast("allow-list", handler));
                channel.pipeline().addLast("connection-limits", limiter);
            }
        };
    }

    private EventLoopGroup eventLoops() {
        if (eventLoops == null) {
            if (!Epoll.isAvailable()) {
                throw new ListenerException("Peekaboo's listeners need the epoll transport (Linux x86_64), which "
                        + "is not available: " + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
            }
            eventLoops = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
                    new DefaultThreadFactory("peekaboo-io"), EpollIoHandler.newFactory());
        }
        return eventLoops;
    }

    private EventLoopGroup descriptorEventLoops() {
        if (descriptorEventLoops == null) {
            if (!AFUNIXSocket.isSupported()) {
                throw new ListenerException("Peekaboo's clamd Unix socket needs junixsocket's native library, which "
                        + "cannot be loaded here (see the log); listen on TCP instead ([clamd] listen)");
            }
            descriptorEventLoops = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS,
                    new DefaultThreadFactory("peekaboo-unix-io"), NioIoHandler.newFactory(AFUNIXSelectorProvider.provider()));
        }
        return descriptorEventLoops;
    }

    private Channel bind(ChannelFuture binding, String what) {
        binding.awaitUninterruptibly();
        if (!binding.isSuccess()) {
            throw new ListenerException("Cannot listen on " + what + ": " + binding.cause().getMessage(),
                    binding.cause());
        }
        return binding.channel();
    }

    /** Connections open right now, of every front end, the ones being refused included. */
    public int openConnections() {
        return openConnections.size();
    }

    /**
     * Closes the listeners; open conversations go on. The daemon calls this first on shutdown,
     * so that no new conversation starts while the engine finishes the samples under way.
     */
    public synchronized void stopAccepting() {
        for (Channel channel : serverChannels.values()) {
            channel.close().awaitUninterruptibly();
        }
        serverChannels.clear();
    }

    /** Stops listening and tells open conversations at once to retry. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops accepting connections and waits up to {@code grace} for open conversations to end.
     * Conversations still open then get a {@link ShutdownNotice} (their front end tells the client
     * to retry) and are closed. Finally the event loops stop and the socket files are removed.
     */
    public synchronized void close(Duration grace) {
        stopAccepting();
        if (!openConnections.isEmpty()) {
            LOG.info("Waiting up to {} ms for {} open conversation(s)", grace.toMillis(), openConnections.size());
            openConnections.newCloseFuture().awaitUninterruptibly(grace.toMillis());
        }
        if (!openConnections.isEmpty()) {
            LOG.info("Telling {} conversation(s) still open to retry later", openConnections.size());
            openConnections.forEach(channel -> channel.pipeline().fireUserEventTriggered(ShutdownNotice.INSTANCE));
            openConnections.newCloseFuture().awaitUninterruptibly(NOTICE_FLUSH_TIME.toMillis());
            openConnections.close().awaitUninterruptibly();
        }
        if (eventLoops != null || descriptorEventLoops != null) {
            for (EventLoopGroup group : new EventLoopGroup[] {eventLoops, descriptorEventLoops}) {
                if (group != null) {
                    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
                }
            }
            eventLoops = null;
            descriptorEventLoops = null;
            LOG.info("Listeners stopped");
        }
        socketFiles.values().forEach(Listeners::removeSocketFile);
        socketFiles.clear();
    }

    // Netty deletes a socket file when its channel closes; this is the safety net for the case it
    // could not, and it only touches sockets these listeners bound themselves.
    private static void removeSocketFile(Path socketFile) {
        if (UnixSocketFile.isSocket(socketFile)) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.warn("Could not remove the socket {}: {}", socketFile, e.toString());
            }
        }
    }
}
