package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHeadTest {
    @TempDir
    Path dir;

    @Test
    void holdsASmallFileWhole() throws IOException {
        Path file = Files.write(dir.resolve("small"), new byte[] {1, 2, 3});

        FileHead head = FileHead.read(file);

        assertThat(head.size()).isEqualTo(3);
        assertThat(head.toByteArray()).containsExactly(1, 2, 3);
        assertThat(head.isEmpty()).isFalse();
    }

    @Test
    void holdsOnlyTheFirstBytesOfALargeFile() throws IOException {
        Path file = Files.write(dir.resolve("large"), new byte[FileHead.LENGTH * 3 + 5]);

        FileHead head = FileHead.read(file);

        assertThat(head.length()).isEqualTo(FileHead.LENGTH);
        assertThat(head.size()).isEqualTo(FileHead.LENGTH * 3L + 5);
    }

    @Test
    void knowsAnEmptyFile() throws IOException {
        assertThat(FileHead.read(Files.createFile(dir.resolve("empty"))).isEmpty()).isTrue();
        assertThat(FileHead.of(new byte[10], 0, 0).isEmpty()).isTrue();
    }

    @Test
    void copiesWhatItIsGivenAndKeepsOnlyTheHead() {
        byte[] buffer = new byte[FileHead.LENGTH + 100];
        buffer[0] = 7;

        FileHead head = FileHead.of(buffer, buffer.length, 1_000_000);
        buffer[0] = 8;

        assertThat(head.length()).isEqualTo(FileHead.LENGTH);
        assertThat(head.toByteArray()[0]).isEqualTo((byte) 7);
    }

    @Test
    void refusesAHeadShorterThanDetectionNeeds() {
        byte[] buffer = new byte[FileHead.LENGTH];

        assertThatThrownBy(() -> FileHead.of(buffer, 4096, 1_000_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first " + FileHead.LENGTH);
        assertThatThrownBy(() -> FileHead.of(buffer, 10, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileHead.of(buffer, 10, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FileHead.of(Arrays.copyOf(buffer, 10), 10, 10).length()).isEqualTo(10);
    }
}
