package org.peekaboo.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends arbitrary bytes, as a broken or hostile client would, and collects the whole
 * answer until the server closes. The real client cannot send malformed requests.
 */
final class RawClient {
    private final SocketAddress address;

    private RawClient(SocketAddress address) {
        this.address = address;
    }

    static RawClient unix(Path socket) {
        return new RawClient(UnixDomainSocketAddress.of(socket));
    }

    static RawClient tcp(InetSocketAddress address) {
        return new RawClient(address);
    }

    List<String> exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
    }

    /** Writes {@code request} (which may be empty: then nothing is sent) and reads until EOF. */
    List<String> exchange(byte[] request, Duration timeout) throws IOException {
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            channel.connect(address);
            if (request.length > 0) {
                ByteBuffer buffer = ByteBuffer.wrap(request);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(channel));
            try {
                byte[] bytes = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new String(bytes, StandardCharsets.UTF_8).lines().toList();
            } catch (Exception e) {
                throw new IOException("no complete answer within " + timeout + ": " + e, e);
            }
        }
    }

    private static byte[] readAll(SocketChannel channel) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer) >= 0) {
                all.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (IOException e) {
            // A reset after the server's last line still leaves a complete answer to check.
        }
        return all.toByteArray();
    }
}
