package org.peekaboo.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.sample.FileOpener.OpenFile;

class LibcFilesTest {
    private final LibcFiles files = LibcFiles.load();

    @TempDir
    Path dir;

    @Test
    void opensARegularFileWhoseDescriptorLeadsToIt() throws IOException {
        Path file = Files.writeString(dir.resolve("p001"), "content");

        try (OpenFile open = files.open(file)) {
            assertThat(Files.readSymbolicLink(open.procPath())).isEqualTo(file.toRealPath());
            assertThat(Files.readString(open.procPath())).isEqualTo("content");
        }
    }

    @Test
    void refusesASymbolicLinkAsTheLastComponent() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThatThrownBy(() -> files.open(link)).isInstanceOf(IOException.class).hasMessageContaining("ELOOP");
    }

    @Test
    void opensAFifoWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        try (OpenFile open = files.open(fifo)) {
            assertThat((Integer) Files.getAttribute(open.procPath(), "unix:mode") & 0170000).isEqualTo(0010000);
        }
    }

    @Test
    void closingReleasesTheDescriptor() throws IOException {
        Path file = Files.writeString(dir.resolve("p002"), "x");
        OpenFile open = files.open(file);
        Path descriptor = open.procPath();

        open.close();
        open.close();

        assertThat(Files.exists(descriptor) && file.toRealPath().equals(Files.readSymbolicLink(descriptor))).isFalse();
    }

    @Test
    void aMissingFileNamesTheReason() {
        assertThatThrownBy(() -> files.open(dir.resolve("missing"))).isInstanceOf(IOException.class)
                .hasMessageContaining("ENOENT");
    }
}
