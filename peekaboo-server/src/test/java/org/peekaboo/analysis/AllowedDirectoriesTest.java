package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.ScanService.RejectedRequestException;

class AllowedDirectoriesTest {
    @TempDir
    Path allowed;

    @TempDir
    Path elsewhere;

    @Test
    void acceptsARegularFileInsideAndReturnsItsRealPath() throws IOException {
        Path file = Files.writeString(allowed.resolve("p001"), "x");

        assertThat(directories().resolve(file.toString())).isEqualTo(file.toRealPath());
    }

    @Test
    void acceptsFilesInSubdirectories() throws IOException {
        Path file = Files.writeString(Files.createDirectories(allowed.resolve("amavis-1/parts")).resolve("p002"), "x");

        assertThat(directories().resolve(file.toString())).isEqualTo(file.toRealPath());
    }

    @Test
    void rejectsASymlinkPointingOutside() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret"), "x");
        Path link = Files.createSymbolicLink(allowed.resolve("link"), secret);

        assertThatThrownBy(() -> directories().resolve(link.toString()))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("outside");
    }

    @Test
    void rejectsDotDotEscapes() throws IOException {
        Files.writeString(elsewhere.resolve("secret"), "x");
        String sneaky = allowed + "/../" + elsewhere.getFileName() + "/secret";

        assertThatThrownBy(() -> directories().resolve(sneaky))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("outside");
    }

    @Test
    void rejectsASiblingWhoseNameStartsLikeTheAllowedDirectory() throws IOException {
        Path sibling = Files.createDirectories(allowed.resolveSibling(allowed.getFileName() + "-evil"));
        try {
            Path file = Files.writeString(sibling.resolve("f"), "x");
            assertThatThrownBy(() -> directories().resolve(file.toString()))
                    .isInstanceOf(RejectedRequestException.class).hasMessageContaining("outside");
        } finally {
            Files.deleteIfExists(sibling.resolve("f"));
            Files.deleteIfExists(sibling);
        }
    }

    @Test
    void rejectsMissingRelativeAndNonRegularPaths() throws IOException {
        Path subdirectory = Files.createDirectories(allowed.resolve("dir"));

        assertThatThrownBy(() -> directories().resolve(allowed.resolve("missing").toString()))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> directories().resolve("relative/p001"))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("not absolute");
        assertThatThrownBy(() -> directories().resolve(subdirectory.toString()))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> directories().resolve(allowed + "/nul\0byte"))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("Invalid path");
    }

    @Test
    void quotesHostilePathsInItsMessages() {
        assertThatThrownBy(() -> directories().resolve(allowed + "/new\nline\"quote"))
                .isInstanceOf(RejectedRequestException.class)
                .hasMessageNotContaining("\n")
                .hasMessageContaining("\\u000a");
    }

    private AllowedDirectories directories() {
        return AllowedDirectories.of(List.of(allowed));
    }
}
