package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentWriterTest {
    @TempDir
    Path dir;

    @Test
    void smallContentStaysInMemoryWithItsHash() throws Exception {
        SampleSpool spool = SampleSpool.under(dir);
        byte[] bytes = "a member of an archive".getBytes();
        try (ContentWriter writer = ContentWriter.into(spool)) {
            writer.write(bytes);
            try (SampleContent content = writer.finish()) {
                assertThat(content.sha256()).isEqualTo(sha256(bytes));
                assertThat(content.size()).isEqualTo(bytes.length);
                assertThat(content.readAllBytes()).isEqualTo(bytes);
                assertThat(content.toString()).doesNotContain("spooled");
                assertThat(spool.memoryInUse()).isEqualTo(bytes.length);
            }
        }
        assertThat(spool.memoryInUse()).isZero();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void largeContentGoesToThePrivateSpoolAndIsDeletedOnClose() throws Exception {
        SampleSpool spool = SampleSpool.under(dir);
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        SampleContent content;
        try (ContentWriter writer = ContentWriter.into(spool)) {
            for (int offset = 0; offset < bytes.length; offset += 1000) {
                writer.write(bytes, offset, Math.min(1000, bytes.length - offset));
            }
            content = writer.finish();
        }
        assertThat(content.toString()).contains("spooled");
        assertThat(content.sha256()).isEqualTo(sha256(bytes));
        assertThat(content.readAllBytes()).isEqualTo(bytes);
        assertThat(content.head().size()).isEqualTo(bytes.length);
        assertThat(spool.memoryInUse()).isZero();
        assertThat(spoolFiles()).hasSize(1);
        content.close();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void contentBeyondTheMemoryBudgetIsSpooledEvenWhenSmall() throws Exception {
        SampleSpool spool = SampleSpool.under(dir);
        assertThat(spool.reserveMemory(SampleSpool.MEMORY_BUDGET - 100)).isTrue();
        try (ContentWriter writer = ContentWriter.into(spool)) {
            writer.write(new byte[1000]);
            try (SampleContent content = writer.finish()) {
                assertThat(content.toString()).contains("spooled");
                assertThat(content.size()).isEqualTo(1000);
            }
        }
        spool.releaseMemory(SampleSpool.MEMORY_BUDGET - 100);
        assertThat(spool.memoryInUse()).isZero();
    }

    @Test
    void closingWithoutFinishingDiscardsWhatWasWritten() throws Exception {
        SampleSpool spool = SampleSpool.under(dir);
        try (ContentWriter writer = ContentWriter.into(spool)) {
            writer.write(new byte[2 * 1024 * 1024]);
            assertThat(spoolFiles()).hasSize(1);
        }
        assertThat(spoolFiles()).isEmpty();
        assertThat(spool.memoryInUse()).isZero();
    }

    @Test
    void aContentInMemoryDoesNotKeepItsWriterAlive() throws Exception {
        // Regression: the content's release hook held the writer, so the 500 members of two zips kept
        // their writers' buffers and filled the launcher's 80 MB heap.
        SampleSpool spool = SampleSpool.under(dir);
        ContentWriter writer = ContentWriter.into(spool);
        writer.write("small".getBytes());
        WeakReference<ContentWriter> gone = new WeakReference<>(writer);
        try (SampleContent content = writer.finish()) {
            writer = null;
            for (int i = 0; i < 50 && gone.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(gone.get()).isNull();
            assertThat(content.readAllBytes()).isEqualTo("small".getBytes());
        }
    }

    @Test
    void emptyContentIsEmpty() throws Exception {
        SampleSpool spool = SampleSpool.under(dir);
        try (ContentWriter writer = ContentWriter.into(spool); SampleContent content = writer.finish()) {
            assertThat(content.size()).isZero();
            assertThat(content.head().isEmpty()).isTrue();
            assertThat(content.sha256()).isEqualTo(sha256(new byte[0]));
        }
    }

    private Stream<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList().stream();
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(SampleIdentity.sha256().digest(bytes));
    }
}
