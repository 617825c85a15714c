package org.peekaboo.amavis.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Something on Peekaboo's socket that is not Peekaboo: it reads what amavis sends, answers
 * with the given text and closes. Counts connections, so a test sees amavis' retries.
 */
public final class GarbageServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final byte[] answer;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();

    private GarbageServer(ServerSocketChannel server, Path socket, byte[] answer) {
        this.server = server;
        this.socket = socket;
        this.answer = answer;
        this.acceptor = new Thread(this::serve, "garbage-server");
        this.acceptor.setDaemon(true);
    }

    public static GarbageServer start(Path socket, String answer) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        // amavis connects as its own user.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        GarbageServer server = new GarbageServer(channel, socket, answer.getBytes(StandardCharsets.UTF_8));
        server.acceptor.start();
        return server;
    }

    public int connections() {
        return connections.get();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                connections.incrementAndGet();
                readRequestLine(client);
                ByteBuffer out = ByteBuffer.wrap(answer);
                while (out.hasRemaining()) {
                    client.write(out);
                }
            } catch (AsynchronousCloseException closed) {
                return;
            } catch (IOException e) {
                // The client may already have gone; the next connection is served all the same.
                System.err.println("garbage server: " + e);
            }
        }
    }

    /** Reads until the end of the request line, so the answer is not sent before the question. */
    private static void readRequestLine(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            int read = client.read(buffer);
            if (read < 0) {
                return;
            }
            for (int i = buffer.position() - read; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') {
                    return;
                }
            }
            if (!buffer.hasRemaining()) {
                buffer.clear();
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
