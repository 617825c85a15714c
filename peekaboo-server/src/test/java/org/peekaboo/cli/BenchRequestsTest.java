package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
