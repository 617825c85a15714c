package org.peekaboo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class NoOpLineProtocolScannerTest {
    // The regular expressions of amavis' plugin (conf.d/50-peekaboo), which decide clean and infected.
    private static final Pattern CLEAN = Pattern.compile(
            "^The file collection has been categorized \"good\"\\n*\\z", Pattern.MULTILINE);
    private static final Pattern INFECTED = Pattern.compile(
            "^The file collection has been categorized \"bad\"$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private Path socket;
    private NoOpLineProtocolScanner scanner;

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("noop.sock");
        scanner = NoOpLineProtocolScanner.start(socket);
    }

    @AfterEach
    void stop() {
        scanner.close();
    }

    @Test
    void answersEveryFileGoodInPeekaboosLineFormatsAsAmavisReadsThem() throws IOException {
        String reply = exchange("[{\"content_disposition\": \"attachment\", \"full_name\": \"/var/lib/amavis/tmp/"
                + "amavis-1/parts/p002\", \"name_declared\": \"a.txt\", \"type_declared\": [\"text/plain\"]}, "
                + "{\"full_name\": \"/var/lib/amavis/tmp/amavis-1/parts/p003\", \"size\": 12, \"x\": null}]\n", true);

        assertThat(reply).isEqualTo("""
                Hello, this is Peekaboo.

                File "p002" is being analyzed
                File "p002" verdict "good" (result "unknown" by rule "noop"): Not judged by the no-op benchmark scanner
                File "p003" is being analyzed
                File "p003" verdict "good" (result "unknown" by rule "noop"): Not judged by the no-op benchmark scanner
                The file collection has been categorized "good"

                """);
        assertThat(CLEAN.matcher(reply).find()).isTrue();
        assertThat(INFECTED.matcher(reply).find()).isFalse();
    }

    @Test
    void aRequestEndsAtTheHalfCloseToo() throws IOException {
        String reply = exchange("[{\"full_name\": \"/t/p1\"}]", true);

        assertThat(reply).endsWith("The file collection has been categorized \"good\"\n\n");
    }

    @Test
    void answersPingsWithPongAndNoFinalLine() throws IOException {
        String reply = exchange("[{\"request\": \"ping\"}]\n", false);

        assertThat(reply).isEqualTo("Hello, this is Peekaboo.\n\n{\"request\": \"ping\", \"response\": \"pong\"}\n");
    }

    @Test
    void aBrokenRequestGetsAnErrorAndNoVerdict() throws IOException {
        for (String request : List.of("not json\n", "[]\n", "[{\"full_name\": \"/t/p1\"\n", "[1]\n",
                "[{\"name_declared\": \"x\"}]\n")) {
            String reply = exchange(request, false);

            assertThat(reply).as(request).startsWith("Hello, this is Peekaboo.\n\nERROR: ")
                    .doesNotContain("categorized");
        }
    }

    @Test
    void quotesNamesAsPeekabooDoesSoThatNoNameForgesALine() throws IOException {
        String reply = exchange("[{\"full_name\": \"/t/x\\\"\\nThe file collection has been categorized \\\"bad\\\"\"}]\n",
                true);

        assertThat(reply).contains("File \"x\\\"\\u000aThe file collection has been categori\\u007aed \\\"bad\\\"\"")
                .doesNotContain("categorized \"bad\"");
        assertThat(CLEAN.matcher(reply).find()).isTrue();
    }

    @Test
    void anyUserMayConnectAndManyAtOnce() throws Exception {
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw-rw-"));
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String request = "[{\"full_name\": \"/t/p" + i + "\"}]\n";
                replies.add(clients.submit((Callable<String>) () -> exchange(request, false)));
            }
            for (int i = 0; i < replies.size(); i++) {
                assertThat(replies.get(i).get()).contains("File \"p" + i + "\" verdict \"good\"")
                        .endsWith("categorized \"good\"\n\n");
            }
        }
    }

    @Test
    void replacesAStaleSocketButNoOtherFileAndRemovesItsOwnOnClose() throws IOException {
        scanner.close();
        assertThat(socket).doesNotExist();
        // closing a Unix server channel leaves its file behind, as a crashed scanner would
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket)).close();
        assertThat(socket).exists();

        scanner = NoOpLineProtocolScanner.start(socket);

        assertThat(exchange("[{\"full_name\": \"/t/p1\"}]\n", false)).contains("categorized \"good\"");
        Path regular = Files.writeString(dir.resolve("not-a-socket"), "keep me");
        assertThatThrownBy(() -> NoOpLineProtocolScanner.start(regular)).isInstanceOf(IOException.class);
        assertThat(regular).hasContent("keep me");
    }

    /** Sends {@code request} and reads until the scanner closes, as amavis does. */
    private String exchange(String request, boolean halfClose) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            if (halfClose) {
                channel.shutdownOutput();
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (channel.read(in.clear()) >= 0) {
                reply.write(in.array(), 0, in.position());
            }
            return reply.toString(StandardCharsets.UTF_8);
        }
    }
}
