package org.peekaboo.db.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards a local port to a server, and can cut every connection and refuse new ones for a
 * while: a database outage (and its end) as a test can make it.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket listener;
    /** Whether new connections are accepted and then left unanswered, as by a hung server. */
    private volatile boolean hanging;

    public TcpProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public int port() {
        return port;
    }

    /** Closes every forwarded connection and stops listening: connects are refused. */
    public void cut() {
        closeSocket(listener);
        open.forEach(TcpProxy::closeSocket);
        open.clear();
    }

    /** Listens again on the same port. */
    public void resume() {
        if (hanging) {
            // The listener stays; only the connections left hanging go.
            hanging = false;
            open.forEach(TcpProxy::closeSocket);
            open.clear();
            return;
        }
        listener = bind(port);
        accept(listener);
    }

    /**
     * Closes every forwarded connection and accepts new ones without ever answering them: a
     * server that hangs, so that every connect waits for its whole timeout.
     */
    public void hang() {
        hanging = true;
        open.forEach(TcpProxy::closeSocket);
        open.clear();
    }

    /** Connections accepted so far, forwarded or left hanging. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
    }

    private void accept(ServerSocket server) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    accepted.incrementAndGet();
                    if (hanging) {
                        open.add(client);
                        continue;
                    }
                    Socket upstream = new Socket(target.getAddress(), target.getPort());
                    open.add(client);
                    open.add(upstream);
                    Thread.ofVirtual().start(() -> pump(client, upstream));
                    Thread.ofVirtual().start(() -> pump(upstream, client));
                } catch (IOException e) {
                    // Closed by cut(): the loop ends with the socket.
                    if (!server.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        });
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (SocketException e) {
            // One side was cut; the other is closed below so that its reader sees the end.
            closeSocket(to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeSocket(from);
            closeSocket(to);
        }
    }

    /** Closing a socket twice is harmless, so any failure here is worth seeing. */
    private static void closeSocket(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
