package org.peekaboo.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scanner that speaks Peekaboo's line protocol but judges nothing: it greets, reads the
 * request line, answers every file {@code good} at once and closes. It is the floor of the
 * amavis benchmark (scripts/core-bench.sh): what amavis' scanner step costs when the scanner
 * itself costs nothing, against which Peekaboo's share is measured.
 *
 * <p>Deliberately self-contained (the JDK only, no Peekaboo classes), so that it stays the
 * same yardstick while the daemon's code changes, and runs from {@code target/test-classes}:
 * <pre>java -cp peekaboo-server/target/test-classes org.peekaboo.bench.NoOpLineProtocolScanner SOCKET</pre>
 *
 * <p>Its answer has the lines amavis' plugin looks at (conf.d/50-peekaboo: the final line
 * for clean/infected, the verdict lines for virus names), in Peekaboo's formats
 * (docs/line-protocol.md): per file the naming line and the verdict line, without rule lines.
 */
public final class NoOpLineProtocolScanner implements AutoCloseable {
    static final String GREETING = "Hello, this is Peekaboo.\n\n";
    static final String PONG = "{\"request\": \"ping\", \"response\": \"pong\"}";
    // Peekaboo's max_line_length default; longer requests are refused as Peekaboo refuses them.
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final ServerSocketChannel server;
    private final Path socket;
    private final Thread acceptor;

    private NoOpLineProtocolScanner(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
        this.acceptor = Thread.ofPlatform().name("noop-accept").daemon().start(this::acceptAll);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NoOpLineProtocolScanner SOCKET");
            System.exit(2);
        }
        NoOpLineProtocolScanner scanner = start(Path.of(args[0]).toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(scanner::close));
        System.out.println("no-op scanner listening on " + scanner.socket);
        scanner.acceptor.join();
    }

    /** Listens on {@code socket} (replacing a socket file left there) until {@link #close}. */
    public static NoOpLineProtocolScanner start(Path socket) throws IOException {
        if (Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(socket + " exists and is not a socket");
        }
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 512);
        // amavis connects as its own user; this stub reads no files, so anyone may ask it.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        return new NoOpLineProtocolScanner(server, socket);
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // nothing left to do for a benchmark stub that is going away
        }
    }

    private void acceptAll() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                Thread.ofVirtual().start(() -> answer(connection));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                System.err.println("no-op scanner: accept failed: " + e);
            }
        }
    }

    private static void answer(SocketChannel connection) {
        try (connection) {
            writeAll(connection, GREETING);
            writeAll(connection, reply(readRequest(connection)));
        } catch (IOException e) {
            // the client went away; there is nobody to tell
        }
    }

    /** The request line: up to its newline, or whatever came before the client half-closed. */
    private static String readRequest(SocketChannel connection) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (true) {
            int before = buffer.position();
            if (connection.read(buffer) < 0) {
                break;
            }
            int newline = indexOf(buffer, (byte) '\n', before);
            if (newline >= 0) {
                buffer.position(newline);
                break;
            }
            if (!buffer.hasRemaining()) {
                if (buffer.capacity() >= MAX_REQUEST_BYTES) {
                    return "";
                }
                buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).stripTrailing();
    }

    private static int indexOf(ByteBuffer buffer, byte wanted, int from) {
        for (int i = from; i < buffer.position(); i++) {
            if (buffer.get(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static void writeAll(SocketChannel connection, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            connection.write(bytes);
        }
    }

    /** Everything after the greeting that answers {@code request}. */
    static String reply(String request) {
        List<Object> parts;
        try {
            parts = new JsonReader(request).document() instanceof List<?> list && !list.isEmpty()
                    ? new ArrayList<>(list) : null;
        } catch (IllegalArgumentException e) {
            parts = null;
        }
        if (parts == null) {
            return "ERROR: Invalid JSON request: expected a non-empty array of objects\n";
        }
        StringBuilder pongs = new StringBuilder();
        StringBuilder report = new StringBuilder();
        for (Object part : parts) {
            if (!(part instanceof Map<?, ?> object)) {
                return "ERROR: Invalid JSON request: every element must be an object\n";
            }
            if ("ping".equals(object.get("request"))) {
                pongs.append(PONG).append('\n');
            } else if (object.get("full_name") instanceof String fullName && !fullName.isEmpty()) {
                String name = quoted(fullName.substring(fullName.lastIndexOf('/') + 1));
                report.append("File ").append(name).append(" is being analyzed\n")
                        .append("File ").append(name).append(" verdict \"good\" (result \"unknown\" by rule \"noop\"): ")
                        .append("Not judged by the no-op benchmark scanner\n");
            } else {
                return "ERROR: Invalid JSON request: a file without full_name\n";
            }
        }
        if (report.isEmpty()) {
            return pongs.toString();
        }
        return pongs.append(report).append("The file collection has been categorized \"good\"\n\n").toString();
    }

    /**
     * A JSON string literal, as Peekaboo writes names: a quote or line break in a hostile name
     * cannot end the line, and the phrase the mail filter matches cannot appear (its z escaped).
     */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        String literal = out.append('"').toString();
        return literal.replaceAll("(?i)(has\\s+been\\s+categori)z(ed)", "$1\\\\u007a$2");
    }

    /** Just enough JSON for a request line: arrays, objects, strings, and other literals as text. */
    private static final class JsonReader {
        private final String text;
        private int at;

        JsonReader(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            skipSpace();
            if (at != text.length()) {
                throw new IllegalArgumentException("text after the JSON value at " + at);
            }
            return value;
        }

        private Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return switch (text.charAt(at)) {
                case '[' -> array();
                case '{' -> object();
                case '"' -> string();
                default -> literal();
            };
        }

        private List<Object> array() {
            List<Object> values = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return values;
            }
            while (true) {
                values.add(value());
                skipSpace();
                char c = next();
                if (c == ']') {
                    return values;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or ] at " + (at - 1));
                }
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> members = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return members;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw new IllegalArgumentException("expected a key at " + at);
                }
                String key = string();
                skipSpace();
                if (next() != ':') {
                    throw new IllegalArgumentException("expected : at " + (at - 1));
                }
                members.put(key, value());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return members;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or } at " + (at - 1));
                }
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            at++;
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(escaped);
                }
            }
        }

        /** Numbers, true, false and null: their text, which this scanner never looks at. */
        private String literal() {
            int start = at;
            while (at < text.length() && "+-.0123456789eEtrufalsn".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("unexpected " + text.charAt(at) + " at " + at);
            }
            return text.substring(start, at);
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private char next() {
            if (at >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return text.charAt(at++);
        }
    }
}
