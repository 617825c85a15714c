package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

class BenchRequestsTest {

    @Test
    void groupsTheFilesIntoRequestLinesOfTheGivenSize() {
        List<Path> files = List.of(Path.of("/s/a"), Path.of("/s/b"), Path.of("/s/c"));

        ByteBuffer[] requests = BenchRequests.build(files, 2);

        assertThat(requests).hasSize(2);
        assertThat(text(requests[0])).isEqualTo("[{\"full_name\": \"/s/a\"}, {\"full_name\": \"/s/b\"}]\n");
        assertThat(text(requests[1])).isEqualTo("[{\"full_name\": \"/s/c\"}]\n");
    }

    @Test
    void escapesWhatJsonRequires() {
        ByteBuffer[] requests = BenchRequests.build(List.of(Path.of("/s/q\"b\\n\tä")), 1);

        assertThat(text(requests[0])).isEqualTo("[{\"full_name\": \"/s/q\\\"b\\\\n\\u0009ä\"}]\n");
    }

    @Test
    void anInstreamRequestIsTheCommandOneChunkAndTheEnd() {
        ByteBuffer request = BenchRequests.instream("abc".getBytes(StandardCharsets.US_ASCII));

        byte[] bytes = new byte[request.remaining()];
        request.duplicate().get(bytes);
        assertThat(bytes).containsExactly('z', 'I', 'N', 'S', 'T', 'R', 'E', 'A', 'M', 0,
                0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 0);
    }

    @Test
    void samplesHaveTheirSizeAndAMarkedOneKeepsTheWholeMarkerAndItsIndex() {
        String plain = new String(BenchRequests.sample("run", 7, 64, false), StandardCharsets.US_ASCII);
        String marked = new String(BenchRequests.sample("run", 7, 16, true), StandardCharsets.US_ASCII);

        assertThat(plain).hasSize(64).startsWith("Peekaboo benchmark run 7 ").endsWith("\n");
        assertThat(marked).startsWith("Peekaboo benchmark run 7 ").contains(ContainsPeekabooYarRule.MARKER)
                .endsWith("\n");
        assertThat(BenchRequests.sample("run", 8, 64, false)).isNotEqualTo(plain.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
