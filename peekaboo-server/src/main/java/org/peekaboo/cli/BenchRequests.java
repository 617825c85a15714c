package org.peekaboo.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The bench's request lines, built before the clock starts so that the timed loop only
 * writes bytes. Written here rather than with the protocol package's JSON writer: the bench
 * should measure the daemon, not share its code, and needs only {@code full_name}.
 */
final class BenchRequests {
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
