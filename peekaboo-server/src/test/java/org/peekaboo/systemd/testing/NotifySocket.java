package org.peekaboo.systemd.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * systemd's end of {@code NOTIFY_SOCKET}: a real Unix datagram socket the test binds, at a path
 * or under an abstract name, and reads the daemon's notifications from, one datagram each.
 */
public final class NotifySocket implements AutoCloseable {
    private final AFUNIXDatagramSocket socket;
    private final String name;

    private NotifySocket(AFUNIXDatagramSocket socket, String name) {
        this.socket = socket;
        this.name = name;
    }

    /** Bound to the file {@code path}. */
    public static NotifySocket atPath(Path path) throws IOException {
        return bind(AFUNIXSocketAddress.of(path), path.toString());
    }

    /** Bound to {@code name} in Linux' abstract namespace; its {@link #name()} starts with {@code @}. */
    public static NotifySocket abstractNamed(String name) throws IOException {
        // junixsocket's own encoding of the name, not the daemon's, so that the test checks the latter.
        return bind(AFUNIXSocketAddress.inAbstractNamespace(name), "@" + name);
    }

    private static NotifySocket bind(AFUNIXSocketAddress address, String name) throws IOException {
        AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        socket.bind(address);
        return new NotifySocket(socket, name);
    }

    /** The value for {@code NOTIFY_SOCKET}. */
    public String name() {
        return name;
    }

    /** The next notification, or empty if none came within {@code limit}. */
    public Optional<String> next(Duration limit) throws IOException {
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(Math.toIntExact(Math.max(1, limit.toMillis())));
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8));
    }

    /** The next notification; fails the test if none comes within {@code limit}. */
    public String take(Duration limit) throws IOException {
        return next(limit).orElseThrow(() -> new AssertionError("no notification on " + name + " within " + limit));
    }

    @Override
    public void close() {
        socket.close();
    }
}
