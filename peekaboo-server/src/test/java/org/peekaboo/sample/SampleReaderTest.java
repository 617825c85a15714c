package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleReaderTest {
    private final SampleReader reader = new SampleReader();

    @TempDir
    Path dir;

    @Test
    void readsPeekabooAvTestVector() throws IOException {
        Path file = Files.writeString(dir.resolve("p002"), "test", StandardCharsets.US_ASCII);

        Sample sample = reader.read(file,
                new SampleDeclaration(file.toString(), "test.py", "text/x-python", "inline"));

        assertThat(sample.file()).isEqualTo(file);
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

        Sample sample = reader.read(file, SampleDeclaration.ofPath(file.toString()));

        assertThat(sample.size()).isEqualTo(content.length);
        assertThat(sample.sha256()).isEqualTo(HexFormat.of().formatHex(SampleIdentity.sha256().digest(content)));
    }

    @Test
    void keepsOnlyTheBasenameOfTheDeclaredName() throws IOException {
        Path file = Files.writeString(dir.resolve("p004"), "x");

        Sample sample = reader.read(file,
                new SampleDeclaration(file.toString(), "../../etc/passwd", null, null));

        assertThat(sample.nameDeclared()).isEqualTo("passwd");
        assertThat(sample.identity()).isEqualTo(SampleIdentity.of(sample.sha256(), "passwd", null, null));
    }

    @Test
    void readsAnEmptyFileWithoutAnyDeclaration() throws IOException {
        Path file = Files.createFile(dir.resolve("p005"));

        Sample sample = reader.read(file, SampleDeclaration.ofPath(file.toString()));

        assertThat(sample.size()).isZero();
        assertThat(sample.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(sample.nameDeclared()).isNull();
        assertThat(sample.identity()).isEqualTo(SampleIdentity.of(sample.sha256(), null, null, null));
    }

    @Test
    void namesThePathWhenTheFileIsMissing() {
        Path missing = dir.resolve("gone");

        assertThatThrownBy(() -> reader.read(missing, SampleDeclaration.ofPath(missing.toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void namesThePathWhenItIsADirectory() {
        assertThatThrownBy(() -> reader.read(dir, SampleDeclaration.ofPath(dir.toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString());
    }
}
