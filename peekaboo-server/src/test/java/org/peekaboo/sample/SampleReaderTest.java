package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.posix.LibcFiles;

class SampleReaderTest {
    private static final long MAX_SIZE = 8 * 1024 * 1024;

    @TempDir
    Path dir;

    @TempDir
    Path spoolParent;

    private final SampleReader reader() {
        return new SampleReader(LibcFiles.load(), SampleSpool.under(spoolParent), MAX_SIZE);
    }

    @Test
    void readsPeekabooAvTestVector() throws IOException {
        Path file = Files.writeString(dir.resolve("p002"), "test", StandardCharsets.US_ASCII);

        Sample sample = Sample.of(read(file),
                new SampleDeclaration(file.toString(), "test.py", "text/x-python", "inline"));

        assertThat(sample.size()).isEqualTo(4);
        assertThat(sample.sha256()).isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        assertThat(sample.identity()).isEqualTo("39296b9e8c2ce1fba38a60fd9cc97ccf45464cf11bbc174f92658f213381229f");
        assertThat(sample.nameDeclared()).isEqualTo("test.py");
        assertThat(sample.typeDeclared()).isEqualTo("text/x-python");
        assertThat(sample.contentDisposition()).isEqualTo("inline");
    }

    @Test
    void hashesFilesLargerThanItsBufferCompletely() throws IOException {
        byte[] content = new byte[3 * SampleReader.BUFFER_SIZE + 17];
        new Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("p003"), content);

        SampleContent read = read(file);

        assertThat(read.size()).isEqualTo(content.length);
        assertThat(read.sha256()).isEqualTo(sha256(content));
        assertThat(read.readAllBytes()).isEqualTo(content);
    }

    @Test
    void keepsOnlyTheBasenameOfTheDeclaredName() throws IOException {
        Path file = Files.writeString(dir.resolve("p004"), "x");

        Sample sample = Sample.of(read(file), new SampleDeclaration(file.toString(), "../../etc/passwd", null, null));

        assertThat(sample.nameDeclared()).isEqualTo("passwd");
        assertThat(sample.identity()).isEqualTo(SampleIdentity.of(sample.sha256(), "passwd", null, null));
    }

    @Test
    void readsAnEmptyFileWithoutAnyDeclaration() throws IOException {
        Path file = Files.createFile(dir.resolve("p005"));

        Sample sample = Sample.of(read(file), SampleDeclaration.ofPath(file.toString()));

        assertThat(sample.size()).isZero();
        assertThat(sample.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(sample.nameDeclared()).isNull();
        assertThat(sample.content().head().isEmpty()).isTrue();
    }

    @Test
    void theSnapshotStaysWhatWasReadWhateverHappensToTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("p006"), "first");
        SampleContent content = read(file);

        Files.writeString(file, "second, longer");
        Files.delete(file);

        assertThat(content.readAllBytes()).isEqualTo("first".getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = content.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo("first".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(Files.readAllBytes(content.file())).isEqualTo("first".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void largeContentsAreSpooledPrivatelyAndDeletedOnClose() throws IOException {
        byte[] bytes = new byte[SampleReader.IN_MEMORY_LIMIT + 1];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("p007"), bytes);

        SampleContent content = read(file);
        Path spooled = content.file();

        assertThat(spooled).startsWith(spoolParent);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spooled))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spooled.getParent())))
                .isEqualTo("rwx------");
        assertThat(content.sha256()).isEqualTo(sha256(bytes));
        assertThat(content.head().toByteArray()).isEqualTo(java.util.Arrays.copyOf(bytes, FileHead.LENGTH));
        assertThat(Files.readAllBytes(spooled)).isEqualTo(bytes);

        content.close();

        assertThat(spooled).doesNotExist();
        assertThatThrownBy(content::openStream).isInstanceOf(IOException.class);
    }

    @Test
    void contentsBeyondTheMemoryBudgetAreSpooledUntilMemoryIsGivenBack() throws IOException {
        SampleReader reader = new SampleReader(LibcFiles.load(), SampleSpool.under(spoolParent), MAX_SIZE, 2048);
        byte[] bytes = new byte[1500];
        Path file = Files.write(dir.resolve("p015"), bytes);

        SampleContent first = reader.read(CheckedFile.at(file.toRealPath()), later());
        assertThat(spooled()).isEmpty();
        SampleContent second = reader.read(CheckedFile.at(file.toRealPath()), later());
        assertThat(spooled()).hasSize(1);
        first.close();
        first.close();
        SampleContent third = reader.read(CheckedFile.at(file.toRealPath()), later());

        assertThat(spooled()).hasSize(1);
        assertThat(List.of(first.sha256(), second.sha256(), third.sha256())).containsOnly(sha256(bytes));
        assertThat(second.readAllBytes()).isEqualTo(bytes);
        second.close();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aFileAboveTheLimitIsNotRead() throws IOException {
        Path file = dir.resolve("p008");
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1}), MAX_SIZE);
        }

        assertThatThrownBy(() -> read(file)).isInstanceOf(SampleTooLargeException.class)
                .hasMessageContaining(Long.toString(MAX_SIZE + 1)).hasMessageContaining("max_sample_size");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aFileReplacedAfterTheCheckIsNotRead() throws IOException {
        Path file = Files.writeString(dir.resolve("p009"), "checked");
        CheckedFile checked = CheckedFile.at(file.toRealPath());
        // Kept under another name, so that the new file cannot get its inode number.
        Files.move(file, dir.resolve("p009-old"));
        Files.writeString(file, "another file under the same name");

        assertThatThrownBy(() -> reader().read(checked, later())).isInstanceOf(SampleChangedException.class)
                .hasMessageContaining("not the file checked");
    }

    @Test
    void aSymbolicLinkSwappedInIsNotFollowed() throws IOException {
        Path file = Files.writeString(dir.resolve("p010"), "checked");
        CheckedFile checked = CheckedFile.at(file.toRealPath());
        Files.delete(file);
        Files.createSymbolicLink(file, Files.writeString(dir.resolve("target"), "elsewhere"));

        assertThatThrownBy(() -> reader().read(checked, later())).isInstanceOf(SampleChangedException.class)
                .hasMessageContaining("ELOOP");
    }

    @Test
    void aFifoSwappedInIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path file = Files.writeString(dir.resolve("p011"), "checked");
        CheckedFile checked = CheckedFile.at(file.toRealPath());
        Files.delete(file);
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();

        // Without O_NONBLOCK the open would wait for a writer for ever and this test would time out.
        assertThatThrownBy(() -> reader().read(checked, later())).isInstanceOf(SampleChangedException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aFileMovedAwayAfterTheCheckIsNotRead() throws IOException {
        Path file = Files.writeString(dir.resolve("p012"), "checked");
        CheckedFile checked = CheckedFile.at(file.toRealPath());
        Path directory = Files.createDirectories(dir.resolve("sub"));
        Files.move(file, directory.resolve("p012"));
        // The path now leads through a link to the moved file: the open fails on no link, but the kernel's
        // name for what an open of the old name would reach is elsewhere.
        Files.createSymbolicLink(dir.resolve("linked"), directory);
        CheckedFile throughLink = new CheckedFile(dir.resolve("linked").resolve("p012"), checked.key());

        assertThatThrownBy(() -> reader().read(throughLink, later())).isInstanceOf(SampleChangedException.class)
                .hasMessageContaining("by now");
    }

    @Test
    void aHardLinkedFileIsRefusedAtTheCheckAndOnTheDescriptor() throws IOException {
        Path file = Files.writeString(dir.resolve("p013"), "checked");
        CheckedFile checked = CheckedFile.at(file.toRealPath());
        Files.createLink(dir.resolve("second-name"), file);

        assertThatThrownBy(() -> CheckedFile.at(file.toRealPath())).hasMessageContaining("2 hard links");
        assertThatThrownBy(() -> reader().read(checked, later())).isInstanceOf(SampleChangedException.class)
                .hasMessageContaining("2 hard links");
    }

    @Test
    void aReadPastItsDeadlineIsAbandoned() throws IOException {
        Path file = Files.write(dir.resolve("p014"), new byte[3 * SampleReader.BUFFER_SIZE]);

        assertThatThrownBy(() -> reader().read(CheckedFile.at(file.toRealPath()), System.nanoTime() - 1))
                .isInstanceOf(IOException.class).hasMessageContaining("longer than the request may last");
    }

    private SampleContent read(Path file) throws IOException {
        return reader().read(CheckedFile.at(file.toRealPath()), later());
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.walk(spoolParent)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static long later() {
        return System.nanoTime() + Duration.ofMinutes(1).toNanos();
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(SampleIdentity.sha256().digest(content));
    }
}
