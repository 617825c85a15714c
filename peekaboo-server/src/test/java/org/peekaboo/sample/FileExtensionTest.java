package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.peekaboo.sample.testing.TestContents;

class FileExtensionTest {

    @ParameterizedTest
    @CsvSource({
            "report.pdf, pdf",
            "junk..ext, ext",
            "archive.tar.gz, gz",
            "dir/sub/file.docx, docx",
            ".hidden.txt, txt",
            "file.docx$, docx$",
            "file.docx~, docx~",
            "file.docx_, docx_",
            "file.foo1%, foo1%",
            "my file.pdf, pdf",
    })
    void acceptsWhatFollowsTheLastDot(String name, String extension) {
        assertThat(FileExtension.of(name)).isEqualTo(extension);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Report", ".bashrc", "dir.d/Report"})
    void isEmptyWithoutDot(String name) {
        assertThat(FileExtension.of(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.foo 1", "x.fü", "x.foo&resize=600,510", "x.foo;param=5", "x.foo?query=value",
            "x.a\tb", "x.\u007f"})
    void rejectsExtensionsThatAreNoFileTypes(String name) {
        assertThat(FileExtension.of(name)).isNull();
    }

    @Test
    void isNullWithoutName() {
        assertThat(FileExtension.of(null)).isNull();
    }

    @Test
    void sampleDerivesItsExtensionFromTheDeclaredName() {
        Sample sample = new Sample(TestContents.empty(), "0".repeat(64), 1, "invoice.PDF", null,
                null, "1".repeat(64));

        assertThat(sample.fileExtension()).isEqualTo("PDF");
    }
}
