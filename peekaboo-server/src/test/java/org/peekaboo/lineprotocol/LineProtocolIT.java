package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.lineprotocol.testing.FakeScanService;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.ListenerException;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.peekaboo.listener.UnixListener;
import org.peekaboo.listener.UnixSocketFile;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Verdict;

/** The line protocol on real listeners, a Unix socket and TCP, with the fake engine behind it. */
class LineProtocolIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final SampleVerdict BAD = FakeScanService.verdict(
            RuleResult.stop("contains_peekabooyar", Result.BAD, "The file contains PeekabooYar"));

    @TempDir
    Path directory;

    private final ExecutorService engineThreads = Executors.newFixedThreadPool(2);
    private final FakeScanService engine = new FakeScanService().completingOn(engineThreads);
    private final List<Listeners> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.close(Duration.ofSeconds(1)));
        engineThreads.shutdownNow();
    }

    private Path socketFile() {
        return directory.resolve("peekaboo.sock");
    }

    private List<BoundListener> start(UnixListener unix, Optional<TcpListener> tcp) {
        return start(ProtocolSettings.defaults(), unix, tcp);
    }

    private List<BoundListener> start(ProtocolSettings settings, UnixListener unix, Optional<TcpListener> tcp) {
        Listeners server = new Listeners();
        servers.add(server);
        return LineProtocol.listen(server, settings, engine, unix, tcp);
    }

    private LineProtocolClient unixClient() {
        return LineProtocolClient.unix(socketFile(), CLIENT_TIMEOUT);
    }

    @Test
    void greetsAndScansOverTheUnixSocket() throws IOException {
        engine.withVerdict("/amavis/parts/p002", BAD);
        start(UnixListener.of(socketFile()), Optional.empty());

        ScanReply reply = unixClient().scan(List.of(
                new SampleDeclaration("/amavis/parts/p001", "letter.txt", "text/plain", "inline"),
                SampleDeclaration.ofPath("/amavis/parts/p002")));

        assertThat(reply.lines()).startsWith("Hello, this is Peekaboo.", "");
        assertThat(reply.files()).containsExactly(
                new ScanReply.FileVerdict("p001", Verdict.GOOD, Result.UNKNOWN, "final_rule",
                        "File has not been classified"),
                new ScanReply.FileVerdict("p002", Verdict.BAD, Result.BAD, "contains_peekabooyar",
                        "The file contains PeekabooYar"));
        assertThat(reply.categorized()).contains(Verdict.BAD);
        assertThat(reply.errors()).isEmpty();
        assertThat(reply.lines().getLast()).isEmpty();
        assertThat(engine.requests()).containsExactly(List.of(
                new SampleDeclaration("/amavis/parts/p001", "letter.txt", "text/plain", "inline"),
                SampleDeclaration.ofPath("/amavis/parts/p002")));
    }

    @Test
    void scansAndPingsOverTcp() throws IOException {
        List<BoundListener> bound = start(UnixListener.of(socketFile()), Optional.of(TcpListener.localhost(0)));

        assertThat(bound).hasSize(2);
        InetSocketAddress tcp = (InetSocketAddress) bound.get(1).address();
        assertThat(tcp.getPort()).isPositive();
        assertThat(bound.get(1).description()).isEqualTo("tcp:127.0.0.1:" + tcp.getPort());
        LineProtocolClient client = LineProtocolClient.tcp("127.0.0.1", tcp.getPort(), CLIENT_TIMEOUT);
        assertThat(client.ping()).isTrue();
        assertThat(client.scan(List.of(SampleDeclaration.ofPath("/amavis/parts/p001"))).verdict())
                .isEqualTo(Verdict.GOOD);
    }

    @Test
    void answersPing() throws IOException {
        start(UnixListener.of(socketFile()), Optional.empty());

        assertThat(unixClient().exchange(ProtocolLines.PING_REQUEST)).containsExactly(
                "Hello, this is Peekaboo.", "", "{\"request\": \"ping\", \"response\": \"pong\"}");
        assertThat(unixClient().ping()).isTrue();
        assertThat(engine.requests()).isEmpty();
    }

    @Test
    void keepsServingAfterABadRequest() throws IOException {
        start(UnixListener.of(socketFile()), Optional.empty());

        assertThat(unixClient().exchange("[{\"full_name\": \"relative/p001\"}]")).containsExactly(
                "Hello, this is Peekaboo.", "",
                "ERROR: Invalid request: \"full_name\" of element 1 must be an absolute path, got \"relative/p001\"",
                "The file collection has been categorized \"unchecked\"", "");
        assertThat(LineProtocolClient.reply(unixClient().exchange("not json")).verdict())
                .isEqualTo(Verdict.UNCHECKED);

        assertThat(unixClient().scan(List.of(SampleDeclaration.ofPath("/amavis/parts/p001"))).verdict())
                .isEqualTo(Verdict.GOOD);
    }

    @Test
    void servesARequestWithoutNewlineWhenTheClientHalfCloses() throws IOException {
        start(UnixListener.of(socketFile()), Optional.empty());

        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socketFile()))) {
            client.write(ByteBuffer.wrap("[{\"full_name\": \"/amavis/parts/p001\"}]".getBytes(StandardCharsets.UTF_8)));
            client.shutdownOutput();

            assertThat(readAll(client)).endsWith("The file collection has been categorized \"good\"\n\n");
        }
    }

    @Test
    void servesFiftyConcurrentConnections() throws Exception {
        for (int i = 0; i < 50; i += 3) {
            engine.withVerdict("/amavis/parts/p" + i, BAD);
        }
        start(UnixListener.of(socketFile()), Optional.empty());
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Future<ScanReply>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String path = "/amavis/parts/p" + i;
                replies.add(clients.submit(() -> unixClient().scan(List.of(SampleDeclaration.ofPath(path)))));
            }
            for (int i = 0; i < 50; i++) {
                ScanReply reply = replies.get(i).get(30, TimeUnit.SECONDS);
                assertThat(reply.files()).singleElement().extracting(ScanReply.FileVerdict::name).isEqualTo("p" + i);
                assertThat(reply.verdict()).as("p" + i).isEqualTo(i % 3 == 0 ? Verdict.BAD : Verdict.GOOD);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(engine.requests()).hasSize(50);
    }

    @Test
    void appliesTheDefaultSocketMode() throws IOException {
        start(UnixListener.of(socketFile()), Optional.empty());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socketFile())))
                .isEqualTo("rw-rw----");
        assertThat(UnixSocketFile.isSocket(socketFile())).isTrue();
    }

    @Test
    void appliesAConfiguredModeAndGroup() throws IOException {
        String group = Files.readAttributes(directory, PosixFileAttributes.class).group().getName();
        List<BoundListener> bound = start(UnixListener.of(socketFile()).withMode(0600).withGroup(group),
                Optional.empty());

        PosixFileAttributes attributes = Files.readAttributes(socketFile(), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo("rw-------");
        assertThat(attributes.group().getName()).isEqualTo(group);
        assertThat(bound.getFirst().description())
                .isEqualTo("unix:" + socketFile() + " (mode 0600, group " + group + ")");
    }

    @Test
    void refusesAnUnknownGroupAndLeavesNothingBehind() {
        assertThatThrownBy(() -> start(UnixListener.of(socketFile()).withGroup("no-such-group-4711"),
                Optional.empty()))
                .isInstanceOf(ListenerException.class)
                .hasMessage("Cannot hand " + socketFile() + " to group \"no-such-group-4711\": no such group "
                        + "([server] socket_group)");

        assertThat(socketFile()).doesNotExist();
    }

    @Test
    void createsAMissingParentDirectory() throws IOException {
        Path nested = directory.resolve("run/peekaboo/peekaboo.sock");

        start(UnixListener.of(nested), Optional.empty());

        assertThat(LineProtocolClient.unix(nested, CLIENT_TIMEOUT).ping()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.getParent())))
                .matches("rwx[r-][-][x-][r-][-][x-]");
    }

    @Test
    void replacesAStaleSocketFromACrashedRun() throws IOException {
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socketFile()));
        }
        assertThat(UnixSocketFile.isSocket(socketFile())).as("the dead socket is still there").isTrue();

        start(UnixListener.of(socketFile()), Optional.empty());

        assertThat(unixClient().ping()).isTrue();
    }

    @Test
    void neverStealsTheSocketOfALiveServer() throws IOException {
        start(UnixListener.of(socketFile()), Optional.empty());

        assertThatThrownBy(() -> start(UnixListener.of(socketFile()), Optional.empty()))
                .isInstanceOf(ListenerException.class)
                .hasMessageContaining("another Peekaboo is listening on it");

        assertThat(unixClient().ping()).as("the first server still answers").isTrue();
    }

    @Test
    void neverDeletesAFileThatIsNotASocket() throws IOException {
        Files.writeString(socketFile(), "precious");

        assertThatThrownBy(() -> start(UnixListener.of(socketFile()), Optional.empty()))
                .isInstanceOf(ListenerException.class)
                .hasMessageContaining("the path exists and is not a socket");

        assertThat(socketFile()).hasContent("precious");
    }

    @Test
    void reportsAnOccupiedTcpPort() throws IOException {
        try (ServerSocketChannel occupier = ServerSocketChannel.open()) {
            occupier.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) occupier.getLocalAddress()).getPort();

            assertThatThrownBy(() -> start(UnixListener.of(socketFile()), Optional.of(TcpListener.localhost(port))))
                    .isInstanceOf(ListenerException.class)
                    .hasMessageStartingWith("Cannot listen on TCP 127.0.0.1:" + port + ": ");
        }
        assertThat(socketFile()).as("the Unix socket bound first is released again").doesNotExist();
    }

    @Test
    void closeRemovesTheSocketAndTellsWaitingClientsToRetry() throws Exception {
        FakeScanService holding = new FakeScanService().holdingOutcomes();
        Listeners server = new Listeners();
        servers.add(server);
        LineProtocol.listen(server, ProtocolSettings.defaults(), holding, UnixListener.of(socketFile()),
                Optional.empty());
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<ScanReply> waiting = client.submit(() -> unixClient().scan(
                    List.of(SampleDeclaration.ofPath("/amavis/parts/p001"))));
            while (!holding.isOpen("/amavis/parts/p001")) {
                Thread.sleep(10);
            }
            assertThat(server.openConnections()).as("the waiting client's connection").isEqualTo(1);

            server.close(Duration.ofMillis(200));

            ScanReply reply = waiting.get(10, TimeUnit.SECONDS);
            assertThat(reply.errors()).containsExactly("Peekaboo is shutting down; please retry later");
            assertThat(reply.verdict()).isEqualTo(Verdict.UNCHECKED);
            assertThat(socketFile()).doesNotExist();
        } finally {
            client.shutdownNow();
        }
    }

    private static String readAll(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                throw new IOException("reply larger than expected");
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
