package org.peekaboo.lineprotocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.status.DaemonStatus;
import org.peekaboo.status.StatusJson;
import org.peekaboo.verdict.Verdict;

/**
 * A blocking client of the line protocol, as amavis speaks it: connect, send one request
 * line, read until the server closes. Used by the {@code scan}, {@code ping} and
 * {@code bench} commands. One instance may be used by several threads; every call opens
 * its own connection.
 */
public final class LineProtocolClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    // Far above any real reply (a few lines per file), low enough to stop a runaway peer.
    private static final int MAX_REPLY_BYTES = 16 * 1024 * 1024;

    private final SocketAddress address;
    private final Duration timeout;

    /**
     * @param address a {@link UnixDomainSocketAddress} or an {@link InetSocketAddress}
     * @param timeout the longest the server may stay silent: to accept the connection, and
     *                between any two pieces of its reply (it sends keep-alive lines while
     *                it works, so this need not cover the whole analysis)
     */
    public LineProtocolClient(SocketAddress address, Duration timeout) {
        this.address = Objects.requireNonNull(address, "address");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (!(address instanceof UnixDomainSocketAddress) && !(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("the line protocol runs over Unix or TCP sockets, not " + address);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
        }
    }

    public static LineProtocolClient unix(Path socketFile, Duration timeout) {
        return new LineProtocolClient(UnixDomainSocketAddress.of(socketFile), timeout);
    }

    public static LineProtocolClient tcp(String host, int port, Duration timeout) {
        return new LineProtocolClient(new InetSocketAddress(host, port), timeout);
    }

    /**
     * Asks the server to judge {@code files}.
     *
     * @throws IOException when the server cannot be reached, stays silent longer than the
     *                     timeout or sends more than 16 MiB
     */
    public ScanReply scan(List<SampleDeclaration> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a scan needs at least one file");
        }
        return reply(exchange(ProtocolLines.scanRequest(files)));
    }

    /**
     * Whether the server answers a ping with pong.
     *
     * @throws IOException when the server cannot be reached or stays silent
     */
    public boolean ping() throws IOException {
        return exchange(ProtocolLines.PING_REQUEST).contains(ProtocolLines.PONG);
    }

    /**
     * The daemon's state, from its answer to a status request.
     *
     * @throws IOException when the server cannot be reached, stays silent, answers with an error
     *                     (an older Peekaboo does not know the request) or with no status
     */
    public DaemonStatus status() throws IOException {
        List<String> lines = exchange(ProtocolLines.STATUS_REQUEST);
        for (String line : lines) {
            Optional<String> error = ProtocolLines.parseError(line);
            if (error.isPresent()) {
                throw new IOException("The daemon at " + describe(address) + " answered the status request with: "
                        + error.get());
            }
            if (line.startsWith("{")) {
                try {
                    JsonNode answer = StatusJson.parse(line);
                    if ("status".equals(answer.path(ProtocolLines.REQUEST).asText()) && answer.has("response")) {
                        return StatusJson.fromJson(answer.get("response"));
                    }
                } catch (IllegalArgumentException e) {
                    throw new IOException("The daemon at " + describe(address) + " sent a malformed status: "
                            + e.getMessage(), e);
                }
            }
        }
        throw new IOException("The daemon at " + describe(address) + " sent no status");
    }

    /**
     * Sends {@code requestLine} (a newline is added) and returns every line of the reply,
     * greeting included. For diagnostics and tests that need to send what {@link #scan} would not.
     */
    public List<String> exchange(String requestLine) throws IOException {
        byte[] request = (requestLine + "\n").getBytes(StandardCharsets.UTF_8);
        try (SocketChannel channel = open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            connect(channel, selector, key);
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(selector, key, SelectionKey.OP_WRITE, "to take the request");
                }
            }
            return lines(readUntilClosed(channel, selector, key));
        }
    }

    private void connect(SocketChannel channel, Selector selector, SelectionKey key) throws IOException {
        try {
            if (!channel.connect(address)) {
                await(selector, key, SelectionKey.OP_CONNECT, "to accept the connection");
                channel.finishConnect();
            }
        } catch (IOException e) {
            // The JDK's message ("No such file or directory") does not say what was missing.
            throw new IOException("Cannot connect to Peekaboo at " + describe(address) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(SocketAddress address) {
        return address instanceof UnixDomainSocketAddress unix ? unix.getPath().toString() : address.toString();
    }

    private SocketChannel open() throws IOException {
        return address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
    }

    private byte[] readUntilClosed(SocketChannel channel, Selector selector, SelectionKey key) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (true) {
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                return reply.toByteArray();
            }
            if (read == 0) {
                await(selector, key, SelectionKey.OP_READ, "to send more of its reply");
                continue;
            }
            reply.write(buffer.array(), 0, read);
            if (reply.size() > MAX_REPLY_BYTES) {
                throw new IOException("The reply from " + address + " exceeds " + MAX_REPLY_BYTES + " bytes");
            }
        }
    }

    private void await(Selector selector, SelectionKey key, int operation, String what) throws IOException {
        key.interestOps(operation);
        int ready = selector.select(Math.max(1, timeout.toMillis()));
        selector.selectedKeys().clear();
        key.interestOps(0);
        if (ready == 0) {
            throw new SocketTimeoutException("Waited " + ProtocolLines.duration(timeout) + " for " + address + " "
                    + what);
        }
    }

    private static List<String> lines(byte[] reply) {
        String text = new String(reply, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return List.copyOf(lines);
    }

    static ScanReply reply(List<String> lines) {
        List<ScanReply.FileVerdict> files = new ArrayList<>();
        List<ScanReply.MemberVerdict> members = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Optional<Verdict> categorized = Optional.empty();
        for (String line : lines) {
            ProtocolLines.parseVerdict(line).ifPresent(files::add);
            ProtocolLines.parseMemberVerdict(line).ifPresent(members::add);
            ProtocolLines.parseError(line).ifPresent(errors::add);
            Optional<Verdict> collection = ProtocolLines.parseCategorized(line);
            if (collection.isPresent()) {
                categorized = collection;
            }
        }
        // A container's verdict line follows its members'; people read the container first.
        List<String> opened = lines.stream().map(ProtocolLines::parseMemberAnalyzing).flatMap(Optional::stream).toList();
        members.sort(java.util.Comparator.comparingInt(member -> opened.indexOf(member.file() + "/" + member.member())));
        return new ScanReply(files, categorized, errors, lines, members);
    }

    @Override
    public String toString() {
        return "LineProtocolClient[" + address + "]";
    }
}
