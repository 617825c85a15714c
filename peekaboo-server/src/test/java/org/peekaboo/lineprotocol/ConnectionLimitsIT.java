package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ClientNetwork;
import org.peekaboo.lineprotocol.testing.FakeScanService;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.ConnectionLimits;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.peekaboo.listener.UnixListener;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/**
 * Floods of idle connections on real sockets: the excess is refused at once with a line the
 * client understands, and the clients that did not flood are still served.
 */
class ConnectionLimitsIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for a refusal, which is written in one go with the greeting, to arrive after it. */
    private static final int REFUSAL_WAIT_MILLIS = 1500;
    private static final String GOOD_ANSWER = "The file collection has been categorized \"good\"";

    @TempDir
    Path directory;

    private final ExecutorService engineThreads = Executors.newFixedThreadPool(2);
    private final FakeScanService engine = new FakeScanService().completingOn(engineThreads);
    private final List<Listeners> servers = new ArrayList<>();
    private final List<Socket> flood = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : flood) {
            socket.close();
        }
        servers.forEach(server -> server.close(Duration.ofSeconds(1)));
        engineThreads.shutdownNow();
    }

    private InetSocketAddress start(ConnectionLimits limits, TcpListener tcp) {
        Listeners server = new Listeners(limits);
        servers.add(server);
        List<BoundListener> bound = LineProtocol.listen(server, ProtocolSettings.defaults(), engine,
                UnixListener.of(directory.resolve("peekaboo.sock")), Optional.of(tcp));
        return (InetSocketAddress) bound.get(1).address();
    }

    @Test
    void aFloodFromOneClientIsCappedAndOthersAreServed() throws Exception {
        InetSocketAddress server = start(new ConnectionLimits(400, 100), TcpListener.localhost(0));

        List<String> answers = openIdle(300, "127.0.0.1", server);

        assertThat(answers.stream().filter(ConnectionLimitsIT::held)).hasSize(100);
        assertThat(answers.stream().filter(answer -> !held(answer))).hasSize(200).allSatisfy(answer ->
                assertThat(answer).isEqualTo("Hello, this is Peekaboo.\n\nERROR: Too many connections from this client"
                        + " (limit 100, max_connections_per_client); please retry later\n"
                        + "The file collection has been categorized \"unchecked\"\n\n"));
        // Any local user may connect from any loopback address; they all count as one client.
        assertThat(scan("127.0.0.2", server)).contains("ERROR: Too many connections from this client");
        assertThat(LineProtocolClient.unix(directory.resolve("peekaboo.sock"), CLIENT_TIMEOUT)
                .scan(List.of(SampleDeclaration.ofPath("/amavis/parts/p001"))).verdict()).isEqualTo(Verdict.GOOD);
    }

    @Test
    void overTheUnixSocketOneUserIsOneClient() throws Exception {
        InetSocketAddress server = start(new ConnectionLimits(50, 5), TcpListener.localhost(0));
        List<SocketChannel> sameUser = new ArrayList<>();
        try {
            List<Future<String>> received = new ArrayList<>();
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.connect(UnixDomainSocketAddress.of(directory.resolve("peekaboo.sock")));
                    sameUser.add(channel);
                    received.add(readers.submit(() -> readUntilQuiet(channel)));
                }
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> answer : received) {
                answers.add(answer.get());
            }

            assertThat(answers.stream().filter(ConnectionLimitsIT::held)).hasSize(5);
            assertThat(answers.stream().filter(answer -> !held(answer))).hasSize(3).allSatisfy(answer ->
                    assertThat(answer).contains("ERROR: Too many connections from this client (limit 5,"));
            assertThat(scan("127.0.0.1", server)).contains(GOOD_ANSWER);
        } finally {
            for (SocketChannel channel : sameUser) {
                channel.close();
            }
        }
    }

    /**
     * amavis and an attacker on one host are two users: while one user holds its share of the
     * socket, another user's client (the packaged CLI, run as nobody) is still answered.
     */
    @Test
    void anotherUserIsServedWhileOneUserHoldsItsShareOfTheSocket() throws Exception {
        Path jar = Path.of("target", "peekaboo.jar").toAbsolutePath();
        assumeTrue(Files.exists(jar) && Files.isExecutable(Path.of("/usr/bin/setpriv"))
                && Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root, setpriv and the packaged jar");
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "peekaboo-limits-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path socket = shared.resolve("peekaboo.sock");
        Listeners server = new Listeners(new ConnectionLimits(50, 5));
        servers.add(server);
        LineProtocol.listen(server, ProtocolSettings.defaults(), engine, UnixListener.of(socket).withMode(0666),
                Optional.empty());
        List<SocketChannel> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
                flood.add(channel);
            }
            assertThat(LineProtocolClient.unix(socket, CLIENT_TIMEOUT).exchange("[{\"request\": \"ping\"}]"))
                    .as("root's share is taken").anySatisfy(line -> assertThat(line)
                            .startsWith("ERROR: Too many connections from this client (limit 5,"));

            Process nobody = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                    "--clear-groups", ProcessHandle.current().info().command().orElse("java"), "-Duser.home=/tmp",
                    "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "ping", "--socket",
                    socket.toString(), "--timeout", "30").redirectErrorStream(true).start();
            String output = new String(nobody.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(nobody.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(nobody.exitValue()).as(output).isZero();
        } finally {
            for (SocketChannel channel : flood) {
                channel.close();
            }
            server.close(Duration.ofSeconds(1));
            Files.deleteIfExists(socket);
            Files.deleteIfExists(shared);
        }
    }

    @Test
    void theTotalLimitRefusesEveryoneAtOnceAndAFreedPlaceIsUsedAgain() throws Exception {
        InetSocketAddress server = start(new ConnectionLimits(50, 50), TcpListener.localhost(0));
        List<String> answers = openIdle(50, "127.0.0.1", server);
        assertThat(answers).allSatisfy(answer -> assertThat(answer).isEqualTo("Hello, this is Peekaboo.\n\n"));

        assertThat(scan("127.0.0.2", server)).contains("ERROR: Too many connections (limit 50, max_connections)")
                .endsWith("The file collection has been categorized \"unchecked\"\n\n");

        flood.removeFirst().close();
        assertThat(scanOnceAPlaceIsFree("127.0.0.2", server)).contains(GOOD_ANSWER);
    }

    @Test
    void onlyListedClientsMayUseAListenerOnEveryAddress() throws Exception {
        TcpListener everywhere = new TcpListener("0.0.0.0", 0, List.of(ClientNetwork.parse("127.0.0.2"),
                ClientNetwork.parse("10.0.0.0/8")));
        InetSocketAddress server = new InetSocketAddress("127.0.0.1",
                start(new ConnectionLimits(50, 10), everywhere).getPort());

        assertThat(scan("127.0.0.1", server)).isEqualTo("Hello, this is Peekaboo.\n\n"
                + "ERROR: This address may not use Peekaboo ([server] allowed_client)\n"
                + "The file collection has been categorized \"unchecked\"\n\n");
        assertThat(scan("127.0.0.2", server)).contains(GOOD_ANSWER);
        assertThat(engine.requests()).hasSize(1);
    }

    /**
     * Opens {@code count} connections from {@code from} that send nothing, and returns what each
     * had received once its refusal, if any, had had time to arrive. Held connections stay open.
     */
    private List<String> openIdle(int count, String from, InetSocketAddress server) throws Exception {
        for (int i = 0; i < count; i++) {
            flood.add(connect(from, server));
        }
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> received = new ArrayList<>();
            for (Socket socket : flood) {
                received.add(readers.submit(() -> readUntilQuiet(socket)));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> answer : received) {
                answers.add(answer.get());
            }
            return answers;
        }
    }

    private static boolean held(String answer) {
        return answer.equals("Hello, this is Peekaboo.\n\n");
    }

    private static Socket connect(String from, InetSocketAddress server) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(server, (int) CLIENT_TIMEOUT.toMillis());
        return socket;
    }

    /** Everything received until the server closed, or until it went quiet after the greeting. */
    private static String readUntilQuiet(Socket socket) throws IOException {
        StringBuilder received = new StringBuilder();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
        while (true) {
            if (received.toString().endsWith("\n\n")) {
                socket.setSoTimeout(REFUSAL_WAIT_MILLIS);
            }
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return received.toString();
            }
            if (n < 0) {
                return received.toString();
            }
            received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
    }

    /** Like {@link #readUntilQuiet(Socket)} for a Unix socket, which has no read timeout: a reader thread waits. */
    private static String readUntilQuiet(SocketChannel channel) throws Exception {
        StringBuilder received = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            while (true) {
                Future<Integer> read = reader.submit(() -> channel.read(buffer.clear()));
                int n;
                try {
                    n = read.get(received.toString().endsWith("\n\n") ? REFUSAL_WAIT_MILLIS
                            : CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException quiet) {
                    // Closing ends the blocked read, so that the reader thread can finish.
                    channel.close();
                    return received.toString();
                }
                if (n < 0) {
                    return received.toString();
                }
                received.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
            }
        }
    }

    /** A whole conversation from {@code from}: one file, everything the server answers until it closes. */
    private static String scan(String from, InetSocketAddress server) throws IOException {
        try (Socket socket = connect(from, server)) {
            socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write((ProtocolLines.scanRequest(List.of(SampleDeclaration.ofPath("/amavis/parts/p001"))) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException refusedBeforeTheRequest) {
                // A refused connection may already be closed; its answer is still to be read.
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The server learns of a closed connection asynchronously; until then it may still refuse. */
    private static String scanOnceAPlaceIsFree(String from, InetSocketAddress server) throws IOException {
        String answer = scan(from, server);
        for (int attempt = 0; attempt < 50 && answer.contains("Too many connections"); attempt++) {
            Thread.onSpinWait();
            answer = scan(from, server);
        }
        return answer;
    }
}
