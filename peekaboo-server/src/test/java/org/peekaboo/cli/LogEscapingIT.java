package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon's own log, read back after clients sent it newlines, ANSI escapes, NUL, C1
 * controls, separators, bidi overrides, lone surrogates and invalid UTF-8 over the Unix socket and
 * TCP: as malformed lines, broken JSON, declared names and types, and paths inside and outside the
 * allowed directories. Every event stays one line, and no raw control character reaches the file.
 */
class LogEscapingIT {
    private static final Path JAR = Path.of("target", "peekaboo.jar").toAbsolutePath();
    /** Looks like a log line of its own, if a line break let it start one. */
    private static final String FORGED = "2026-01-01T00:00:00.000Z INFO  [main] o.p.a.Judge - FORGED all good";
    private static final String HOSTILE = "\n" + FORGED + "\r\u001b[31m\u001b]0;title\u0007\u0000\u007f\u0085\u009b"
            + "\u2028\u202e\t";
    private static final Pattern EVENT = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* (ERROR|WARN |INFO |DEBUG|TRACE) \\[.*");
    private static final Pattern STACK_TRACE_LINE = Pattern.compile(
            "^(\\t+at |\\t+\\.\\.\\. \\d+ |Caused by: |\\t+Suppressed: |\\t+Caused by: |[A-Za-z_$][\\w.$]*(: .*)?$).*");

    @TempDir
    Path dir;

    @Test
    void hostileClientTextThroughEveryFrontEndStaysOnItsLogLine() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Path evilFile = Files.writeString(files.resolve("evil" + HOSTILE.replace("\u0000", "").replace("/", "")),
                "Dear colleague, see you tomorrow.\n");
        Path socket = dir.resolve("run/peekaboo.sock");
        int port = freePort();
        Path config = Files.writeString(dir.resolve("peekaboo.conf"), """
                [global]
                data_dir: %s
                [server]
                socket_file: %s
                listen: 127.0.0.1:%d
                allowed_dir.0: %s
                [logging]
                log_level: DEBUG
                """.formatted(dir.resolve("data"), socket, port, files));
        Path log = dir.resolve("daemon.log");
        Process daemon = serve(config, log);
        List<byte[]> requests = hostileRequests(files, evilFile);
        List<String> answers = new ArrayList<>();
        try {
            for (byte[] request : requests) {
                answers.add(exchangeOverUnix(socket, request));
                answers.add(exchangeOverTcp(port, request));
            }
        } finally {
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
        }
        assertThat(answers).hasSize(2 * requests.size())
                .allSatisfy(answer -> assertThat(answer).contains("The file collection has been categorized"));

        String text = strictUtf8(Files.readAllBytes(log));
        List<String> lines = text.lines().toList();
        assertThat(text).as("the hostile text reached the log, escaped").contains("\\e[31m").contains("\\0")
                .contains("\\x85").contains("\\u2028").contains("\\u202e").contains("\\ud800")
                .contains("\\n" + FORGED);
        for (String line : lines) {
            assertThat(EVENT.matcher(line).matches() || STACK_TRACE_LINE.matcher(line).matches())
                    .as("a line that is neither an event nor a stack trace line: %s", line).isTrue();
            assertThat(line.replaceFirst("^\\t+", "").codePoints()
                    .filter(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                            || (c >= 0x202a && c <= 0x202e) || Character.isSurrogate((char) c)))
                    .as("raw control characters in %s", line).isEmpty();
            if (line.contains("FORGED")) {
                assertThat(line).as("a forged line").contains("\\n" + FORGED).doesNotStartWith(FORGED);
            }
        }
        long namedInTheLog = lines.stream().filter(line -> line.contains("\\n" + FORGED)).count();
        assertThat(namedInTheLog).as("the hostile declared names, paths and types were logged").isPositive();
    }

    /**
     * What clients may send: a line that is not UTF-8, raw control characters in and around JSON,
     * broken JSON quoting hostile text back, and well-formed requests whose names, types and
     * paths hold every kind of control character (as JSON escapes, which decode to the raw ones).
     */
    private static List<byte[]> hostileRequests(Path files, Path evilFile) {
        String json = json(HOSTILE + "\ud800");
        List<byte[]> requests = new ArrayList<>();
        ByteArrayOutputStream notUtf8 = new ByteArrayOutputStream();
        notUtf8.writeBytes(("[{\"full_name\": \"\u001b[31m").getBytes(StandardCharsets.UTF_8));
        notUtf8.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, '"', '}', ']', '\n'});
        requests.add(notUtf8.toByteArray());
        requests.add(line("[{\"full_name\": \"/x" + HOSTILE.replace("\n", "") + "\"}]"));
        requests.add(line("[evil" + HOSTILE.replace("\n", "\r") + "token]"));
        requests.add(line("{\"not\": \"an array " + HOSTILE.replace("\n", "") + "\"}"));
        requests.add(line("[{\"full_name\": " + json(evilFile.toString()) + ", \"name_declared\": " + json
                + ", \"type_declared\": " + json + "}]"));
        requests.add(line("[{\"full_name\": " + json(files + "/missing" + HOSTILE)
                + ", \"name_declared\": " + json + "}, {\"full_name\": " + json("/etc/outside" + HOSTILE)
                + "}, {\"full_name\": " + json("relative" + HOSTILE) + "}]"));
        requests.add(line("[{\"full_name\": \"/x\", \"request\": " + json + "}]"));
        return requests;
    }

    /** A JSON string literal with every character outside printable ASCII escaped. */
    private static String json(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                literal.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                literal.append(String.format("\\u%04x", (int) c));
            } else {
                literal.append(c);
            }
        }
        return literal.append('"').toString();
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String exchangeOverUnix(Path socket, byte[] request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(request));
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String exchangeOverTcp(int port, byte[] request) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            client.setSoTimeout(60_000);
            OutputStream out = client.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = client.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private Process serve(Path config, Path log) throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        Process serve = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString(), "serve", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.readString(log).contains(" ready")) {
            assertThat(serve.isAlive()).as("daemon exited early:\n%s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("daemon not ready:\n%s", Files.readString(log)).isLessThan(deadline);
            Thread.sleep(100);
        }
        return serve;
    }
}
