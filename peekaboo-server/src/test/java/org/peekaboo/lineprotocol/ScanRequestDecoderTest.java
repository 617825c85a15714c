package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peekaboo.sample.SampleDeclaration;

/** Framing and decoding of the request line, without sockets. */
class ScanRequestDecoderTest {
    private static final int MAX_LINE = 512;
    private static final int MAX_PARTS = 3;

    private final List<ByteBuf> sent = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new RequestLineFramer(MAX_LINE), new ScanRequestDecoder(MAX_LINE, MAX_PARTS));

    @AfterEach
    void everyBufferIsReleased() {
        channel.finishAndReleaseAll();
        assertThat(sent).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    @Test
    void decodesFilesWithTheirDeclarations() {
        send("[{\"full_name\": \"/tmp/parts/p001\", \"name_declared\": \"invoice.doc\","
                + " \"type_declared\": \"application/msword\", \"content_disposition\": \"attachment\"},"
                + " {\"full_name\": \"/tmp/parts/p002\"}]\n");

        assertThat(files(channel.readInbound())).containsExactly(
                new SampleDeclaration("/tmp/parts/p001", "invoice.doc", "application/msword", "attachment"),
                SampleDeclaration.ofPath("/tmp/parts/p002"));
    }

    @Test
    void assemblesALineSentInFragments() {
        byte[] line = "[{\"full_name\": \"/tmp/p\u00e4rts/p001\"}]\n".getBytes(StandardCharsets.UTF_8);
        int umlaut = "[{\"full_name\": \"/tmp/p".length();
        // split inside the two-byte UTF-8 sequence of the umlaut
        send(slice(line, 0, 3));
        send(slice(line, 3, umlaut + 1));
        assertThat(next()).isNull();
        send(slice(line, umlaut + 1, line.length));

        assertThat(files(channel.readInbound())).containsExactly(SampleDeclaration.ofPath("/tmp/p\u00e4rts/p001"));
    }

    @Test
    void takesTheLastLineWithoutNewlineWhenTheClientHalfCloses() {
        send("[{\"full_name\": \"/tmp/p001\"}]");
        assertThat(next()).isNull();

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

        assertThat(files(channel.readInbound())).containsExactly(SampleDeclaration.ofPath("/tmp/p001"));
    }

    @Test
    void acceptsCarriageReturnLineFeed() {
        send("[{\"full_name\": \"/tmp/p001\"}]\r\n");

        assertThat(files(channel.readInbound())).containsExactly(SampleDeclaration.ofPath("/tmp/p001"));
    }

    @Test
    void refusesAnOversizeLineAsSoonAsItExceedsTheLimit() {
        send("[" + "x".repeat(MAX_LINE));

        assertThat(reason(channel.readInbound()))
                .isEqualTo("Request line longer than the limit of 512 bytes (max_line_length)");
    }

    @Test
    void acceptsALineOfExactlyTheLimit() {
        String prefix = "[{\"full_name\": \"/tmp/";
        String suffix = "\"}]";
        String line = prefix + "p".repeat(MAX_LINE - prefix.length() - suffix.length()) + suffix;

        send(line + "\n");

        assertThat(next()).isInstanceOf(ScanRequest.class);
    }

    @Test
    void refusesInvalidUtf8() {
        send(new byte[] {'[', '{', '"', 'f', (byte) 0xC3, (byte) 0x28, '\n'});

        assertThat(reason(channel.readInbound()))
                .isEqualTo("Request is not valid UTF-8: invalid byte sequence at offset 4");
    }

    @Test
    void refusesGarbage() {
        send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x7f, '\n'});
        send("GET / HTTP/1.1\r\n");

        assertThat(reason(channel.readInbound())).startsWith("Invalid JSON in request: ");
        assertThat(reason(channel.readInbound())).startsWith("Invalid JSON in request: Unrecognized token 'GET'");
    }

    @Test
    void refusesTrailingData() {
        send("[{\"full_name\": \"/tmp/p1\"}] []\n");

        assertThat(reason(channel.readInbound())).startsWith("Invalid JSON in request: ");
    }

    @Test
    void refusesDuplicateKeys() {
        send("[{\"full_name\": \"/tmp/p1\", \"full_name\": \"/tmp/p2\"}]\n");

        assertThat(reason(channel.readInbound())).startsWith("Invalid JSON in request: Duplicate field");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "empty line      | ``                           | Empty request; expected a JSON array of file objects",
        "blank line      | `   `                        | Empty request; expected a JSON array of file objects",
        "empty array     | []                           | Invalid request structure: the array is empty; expected a JSON array of file objects",
        "object          | {\"full_name\": \"/tmp/p1\"} | Invalid request structure: expected a JSON array of file objects, got an object",
        "string          | \"/tmp/p1\"                  | Invalid request structure: expected a JSON array of file objects, got a string",
        "number element  | [{\"full_name\": \"/p\"}, 1] | Invalid request structure: element 2 is a number, expected an object",
        "no full_name    | [{\"name_declared\": \"a\"}] | Incomplete request: element 1 has no \"full_name\"",
        "null full_name  | [{\"full_name\": null}]      | Incomplete request: element 1 has no \"full_name\"",
        "numeric path    | [{\"full_name\": 7}]         | Invalid request structure: \"full_name\" of element 1 must be a string, got a number",
        "relative path   | [{\"full_name\": \"p001\"}]  | Invalid request: \"full_name\" of element 1 must be an absolute path, got \"p001\"",
        "NUL in path     | [{\"full_name\": \"/a\\u0000b\"}] | Invalid request: \"full_name\" of element 1 must be an absolute path, got \"/a\\u0000b\"",
        "unsupported     | [{\"request\": \"scan-dir\", \"full_name\": \"/p\"}] | Unsupported request \"scan-dir\"",
        "numeric request | [{\"request\": 1}]          | Invalid request structure: \"request\" of element 1 must be a string, got a number",
        "too many parts  | [{\"request\": \"ping\"}, {\"request\": \"ping\"}, {\"request\": \"ping\"}, {\"request\": \"ping\"}] | Too many parts: the request has 4 objects, the limit is 3 (max_parts)",
        "object name     | [{\"full_name\": \"/p\", \"name_declared\": {}}] | Invalid request structure: \"name_declared\" of element 1 must be a string or an array of strings, got an object",
        "number in names | [{\"full_name\": \"/p\", \"name_declared\": [\"a\", 2]}] | Invalid request structure: \"name_declared\" of element 1 must be a string or an array of strings, got a number",
        "array disposition | [{\"full_name\": \"/p\", \"content_disposition\": [\"inline\"]}] | Invalid request structure: \"content_disposition\" of element 1 must be a string, got an array",
    })
    void refusesMalformedRequestsSayingWhy(String description, String line, String expected) {
        send(line + "\n");

        assertThat(reason(channel.readInbound())).isEqualTo(expected);
    }

    @Test
    void takesTheFirstNonEmptyDeclaredNameOfAnArray() {
        send("[{\"full_name\": \"/tmp/p1\", \"name_declared\": [\"\", \"R\u00e9sum\u00e9.pdf\", \"=?utf-8?q?x?=\"],"
                + " \"type_declared\": [\"application/pdf\", \"application/octet-stream\"]}]\n");

        assertThat(files(channel.readInbound())).containsExactly(
                new SampleDeclaration("/tmp/p1", "R\u00e9sum\u00e9.pdf", "application/pdf", null));
    }

    @Test
    void treatsEmptyDeclarationsAsAbsent() {
        send("[{\"full_name\": \"/tmp/p1\", \"name_declared\": [], \"type_declared\": \"\","
                + " \"content_disposition\": null}]\n");

        assertThat(files(channel.readInbound())).containsExactly(SampleDeclaration.ofPath("/tmp/p1"));
    }

    @Test
    void ignoresUnknownKeys() {
        send("[{\"full_name\": \"/tmp/p1\", \"queue_id\": \"4ABC\", \"meta_info_foo\": {\"x\": [1]}}]\n");

        assertThat(files(channel.readInbound())).containsExactly(SampleDeclaration.ofPath("/tmp/p1"));
    }

    @Test
    void decodesPingsAndFilesInOrder() {
        send("[{\"request\": \"ping\"}, {\"request\": \"scan-file\", \"full_name\": \"/tmp/p1\"}]\n");

        ScanRequest request = channel.readInbound();
        assertThat(request.parts()).containsExactly(new RequestPart.Ping(),
                new RequestPart.ScanFile(SampleDeclaration.ofPath("/tmp/p1")));
        assertThat(request.pings()).isEqualTo(1);
    }

    @Test
    void decodesAStatusRequestAlone() {
        send("[{\"request\": \"status\"}]\n");

        assertThat(next()).isEqualTo(new StatusRequest());
    }

    @Test
    void refusesAStatusRequestWithOtherParts() {
        send("[{\"request\": \"status\"}, {\"request\": \"ping\"}]\n");

        assertThat(reason(channel.readInbound()))
                .isEqualTo("Invalid request: a \"status\" request must be the only element");
    }

    @Test
    void decodesEachLineSeparately() {
        send("[{\"request\": \"ping\"}]\nnot json\n");

        assertThat(next()).isInstanceOf(ScanRequest.class);
        assertThat(next()).isInstanceOf(MalformedRequest.class);
    }

    private Object next() {
        return channel.readInbound();
    }

    private void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    private void send(byte[] bytes) {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
        sent.add(buffer);
        channel.writeInbound(buffer);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static List<SampleDeclaration> files(Object request) {
        assertThat(request).isInstanceOf(ScanRequest.class);
        return ((ScanRequest) request).files();
    }

    private static String reason(Object request) {
        assertThat(request).isInstanceOf(MalformedRequest.class);
        return ((MalformedRequest) request).reason();
    }
}
