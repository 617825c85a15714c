package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.FileKey;

class AllowedDirectoriesTest {
    @TempDir
    Path allowed;

    @TempDir
    Path elsewhere;

    @Test
    void acceptsARegularFileInsideAndReturnsItsRealPathAndInode() throws IOException {
        Path file = Files.writeString(allowed.resolve("p001"), "x");

        CheckedFile checked = directories().check(file.toString());

        assertThat(checked.realPath()).isEqualTo(file.toRealPath());
        assertThat(checked.key()).isEqualTo(new FileKey((Long) Files.getAttribute(file, "unix:dev"),
                (Long) Files.getAttribute(file, "unix:ino")));
    }

    @Test
    void acceptsFilesInSubdirectories() throws IOException {
        Path file = Files.writeString(Files.createDirectories(allowed.resolve("amavis-1/parts")).resolve("p002"), "x");

        assertThat(directories().check(file.toString()).realPath()).isEqualTo(file.toRealPath());
    }

    @Test
    void rejectsASymlinkPointingOutside() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret"), "x");
        Path link = Files.createSymbolicLink(allowed.resolve("link"), secret);

        assertRejectedAsUnreadable(link.toString());
    }

    @Test
    void rejectsDotDotEscapes() throws IOException {
        Files.writeString(elsewhere.resolve("secret"), "x");

        assertRejectedAsUnreadable(allowed + "/../" + elsewhere.getFileName() + "/secret");
    }

    @Test
    void rejectsASiblingWhoseNameStartsLikeTheAllowedDirectory() throws IOException {
        Path sibling = Files.createDirectories(allowed.resolveSibling(allowed.getFileName() + "-evil"));
        try {
            Path file = Files.writeString(sibling.resolve("f"), "x");
            assertRejectedAsUnreadable(file.toString());
        } finally {
            Files.deleteIfExists(sibling.resolve("f"));
            Files.deleteIfExists(sibling);
        }
    }

    @Test
    void rejectsAHardLinkWhoseOtherNameMayBeOutside() throws IOException {
        Path outside = Files.writeString(elsewhere.resolve("secret"), "x");
        Path link = Files.createLink(allowed.resolve("p003"), outside);

        assertRejectedAsUnreadable(link.toString());
    }

    @Test
    void rejectsMissingAndNonRegularPathsAndTellsRelativeAndInvalidOnesApart() throws IOException {
        Path subdirectory = Files.createDirectories(allowed.resolve("dir"));

        assertRejectedAsUnreadable(allowed.resolve("missing").toString());
        assertRejectedAsUnreadable(subdirectory.toString());
        assertThatThrownBy(() -> directories().check("relative/p001"))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("not absolute");
        assertThatThrownBy(() -> directories().check(allowed + "/nul\0byte"))
                .isInstanceOf(RejectedRequestException.class).hasMessageContaining("Invalid path");
    }

    /**
     * A client must not learn what exists outside: missing, unreadable, outside, a link pointing out,
     * a directory, a FIFO and a hard link all give the same message but for the path repeated.
     */
    @Test
    void everyRefusedFileGetsOneIndistinguishableMessage() throws Exception {
        Path outside = Files.writeString(elsewhere.resolve("exists"), "x");
        Path unreadable = Files.writeString(allowed.resolve("unreadable"), "x");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        Path fifo = allowed.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        List<String> refused = new ArrayList<>(List.of(
                outside.toString(),
                elsewhere.resolve("missing").toString(),
                Files.createSymbolicLink(allowed.resolve("out"), outside).toString(),
                Files.createSymbolicLink(allowed.resolve("dangling"), elsewhere.resolve("missing")).toString(),
                Files.createLink(allowed.resolve("hard"), outside).toString(),
                allowed.resolve("missing").toString(),
                allowed.toString(),
                fifo.toString(),
                "/dev/zero"));
        // root reads whatever the mode says; the message is the same either way, but only as a refusal.
        if (!Files.isReadable(unreadable)) {
            refused.add(unreadable.toString());
        }

        List<String> messages = new ArrayList<>();
        for (String path : refused) {
            assertThat(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS) || path.contains("missing")).isTrue();
            messages.add(rejection(path).replace(path, "PATH"));
        }

        assertThat(messages).containsOnly("Path \"PATH\" " + AllowedDirectories.UNREADABLE);
    }

    @Test
    void quotesHostilePathsInItsMessages() {
        assertThatThrownBy(() -> directories().check(allowed + "/new\nline\"quote"))
                .isInstanceOf(RejectedRequestException.class)
                .hasMessageNotContaining("\n")
                .hasMessageContaining("\\u000a");
    }

    private void assertRejectedAsUnreadable(String path) {
        assertThat(rejection(path)).endsWith(AllowedDirectories.UNREADABLE);
    }

    private String rejection(String path) {
        try {
            directories().check(path);
        } catch (RejectedRequestException e) {
            return e.getMessage();
        }
        throw new AssertionError(path + " was accepted");
    }

    private AllowedDirectories directories() {
        return AllowedDirectories.of(List.of(allowed));
    }
}
