package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/** The client against hand-made peers on a real Unix socket. */
class LineProtocolClientIT {
    @TempDir
    Path directory;

    @Test
    void givesUpOnASilentServer() throws Exception {
        Path socket = directory.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            LineProtocolClient client = LineProtocolClient.unix(socket, Duration.ofMillis(300));

            assertThatThrownBy(client::ping)
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("Waited 300 ms for " + socket);
        }
    }

    @Test
    void reportsThatNothingListens() {
        LineProtocolClient client = LineProtocolClient.unix(directory.resolve("absent.sock"), Duration.ofSeconds(1));

        assertThatThrownBy(() -> client.scan(List.of(SampleDeclaration.ofPath("/p1"))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void sendsOneLineAndReadsUntilTheServerCloses() throws Exception {
        Path socket = directory.resolve("scripted.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> serveOnce(server,
                    "Hello, this is Peekaboo.\n\nThe file collection has been categorized \"bad\""));

            List<String> lines = LineProtocolClient.unix(socket, Duration.ofSeconds(5)).exchange("[]");

            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("[]\n");
            assertThat(lines).containsExactly("Hello, this is Peekaboo.", "",
                    "The file collection has been categorized \"bad\"");
            assertThat(LineProtocolClient.reply(lines).verdict()).isEqualTo(Verdict.BAD);
        }
    }

    private static String serveOnce(ServerSocketChannel server, String reply) {
        try (SocketChannel peer = server.accept()) {
            ByteBuffer request = ByteBuffer.allocate(1024);
            while (request.position() == 0 || request.get(request.position() - 1) != '\n') {
                if (peer.read(request) < 0) {
                    break;
                }
            }
            peer.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
            return new String(request.array(), 0, request.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
