package org.peekaboo.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * The bench's requests, built before the clock starts so that the timed loop only writes
 * bytes: line protocol request lines, and clamd INSTREAM requests. Written here rather than
 * with the protocol packages' writers: the bench should measure the daemon, not share its
 * code, and needs only {@code full_name} and one chunk per stream.
 */
final class BenchRequests {
    private static final byte[] INSTREAM = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);

    private BenchRequests() {
    }

    /** One request line (UTF-8, ending in a newline) per {@code perRequest} consecutive files. */
    static ByteBuffer[] build(List<Path> files, int perRequest) {
        ByteBuffer[] requests = new ByteBuffer[(files.size() + perRequest - 1) / perRequest];
        StringBuilder line = new StringBuilder();
        for (int r = 0; r < requests.length; r++) {
            line.setLength(0);
            line.append('[');
            int from = r * perRequest;
            int to = Math.min(files.size(), from + perRequest);
            for (int i = from; i < to; i++) {
                if (i > from) {
                    line.append(", ");
                }
                line.append("{\"full_name\": ");
                appendJsonString(line, files.get(i).toString());
                line.append('}');
            }
            line.append("]\n");
            requests[r] = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return requests;
    }

    /**
     * One clamd {@code zINSTREAM} request carrying {@code content} as a single chunk, as rspamd
     * and Exim send it: the NUL-terminated command, the chunk's 4-byte big-endian length, the
     * bytes, and the zero length that ends the stream.
     */
    static ByteBuffer instream(byte[] content) {
        ByteBuffer request = ByteBuffer.allocate(INSTREAM.length + 4 + content.length + 4);
        request.put(INSTREAM).putInt(content.length).put(content).putInt(0);
        return request.flip();
    }

    /**
     * A small text sample, unique per {@code run} and {@code index}: {@code size} bytes ending in
     * a newline, or longer when the PeekabooYar test marker does not fit otherwise (the marker
     * must stay whole, and the run and index in front of it keep marked samples unique too).
     */
    static byte[] sample(String run, int index, int size, boolean marker) {
        StringBuilder content = new StringBuilder("Peekaboo benchmark ").append(run).append(' ').append(index);
        if (marker) {
            content.append(' ').append(ContainsPeekabooYarRule.MARKER);
        }
        int length = Math.max(size - 1, marker ? content.length() : 0);
        while (content.length() < length) {
            content.append(" lorem ipsum");
        }
        content.setLength(length);
        return content.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
