package org.peekaboo.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.sample.testing.TestContents;

class TikaFileTypeDetectorTest {
    private static final TikaFileTypeDetector DETECTOR = new TikaFileTypeDetector();

    @TempDir
    Path dir;

    @Test
    void recognisesPlainText() throws Exception {
        FileTypeReport report = DETECTOR.detect(sample(fixture("textfile"), "textfile"));

        assertThat(report.typeByContent()).isEqualTo("text/plain");
        assertThat(report.typeByName()).isNull();
        assertThat(report.mimeTypes()).containsExactly("text/plain");
    }

    @Test
    void recognisesNonAsciiTextAsText() throws IOException {
        Path file = Files.writeString(dir.resolve("umlauts"), "Grüße aus Köln\n", StandardCharsets.UTF_8);

        assertThat(DETECTOR.typeByContent(file)).isEqualTo("text/plain");
    }

    @Test
    void recognisesAPdfByItsHeader() throws Exception {
        FileTypeReport report = DETECTOR.detect(sample(fixture("header.pdf"), null));

        assertThat(report.typeByContent()).isEqualTo("application/pdf");
        assertThat(report.typeAsText()).isEqualTo("Portable Document Format");
    }

    @Test
    void recognisesAZipArchive() throws IOException {
        Path zip = dir.resolve("archive");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("inner.txt"));
            out.write("inner".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }

        assertThat(DETECTOR.typeByContent(zip)).isEqualTo("application/zip");
        assertThat(DETECTOR.typeAsText("application/zip")).isNotBlank();
    }

    @Test
    void callsAnEmptyFileWhatLibmagicCallsIt() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));

        FileTypeReport report = DETECTOR.detect(sample(empty, "empty.doc"));

        assertThat(report.typeByContent()).isEqualTo("inode/x-empty");
        assertThat(report.typeAsText()).isEqualTo("empty");
        assertThat(report.typeByName()).isEqualTo("application/msword");
    }

    @Test
    void unrecognisedBinaryIsOctetStream() throws IOException {
        Path binary = Files.write(dir.resolve("binary"), new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe, 0, 7});

        assertThat(DETECTOR.typeByContent(binary)).isEqualTo("application/octet-stream");
    }

    @Test
    void reportsTypesWithoutParameters() throws IOException {
        Path executable = Files.write(dir.resolve("exe"), new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0});

        assertThat(DETECTOR.typeByContent(executable)).isEqualTo("application/x-msdownload");
    }

    @Test
    void guessesTypesFromTheDeclaredNameOnly() {
        assertThat(DETECTOR.typeByName("script.py")).isEqualTo("text/x-python");
        assertThat(DETECTOR.typeByName("letter.doc")).isEqualTo("application/msword");
        assertThat(DETECTOR.typeByName("LETTER.DOC")).isEqualTo("application/msword");
        assertThat(DETECTOR.typeByName("macro.docm")).isEqualTo("application/vnd.ms-word.document.macroenabled.12");
        assertThat(DETECTOR.typeByName("invoice.pdf")).isEqualTo("application/pdf");
    }

    @Test
    void knowsJScriptEncodedLikePeekabooAv() {
        assertThat(DETECTOR.typeByName("dropper.jse")).isEqualTo("application/javascript");
        assertThat(DETECTOR.typeByName("DROPPER.JSE")).isEqualTo("application/javascript");
    }

    @Test
    void hasNoTypeForUnknownOrMissingNames() {
        assertThat(DETECTOR.typeByName("data.nosuchextension")).isNull();
        assertThat(DETECTOR.typeByName("Report")).isNull();
        assertThat(DETECTOR.typeByName("")).isNull();
        assertThat(DETECTOR.typeByName(null)).isNull();
    }

    @Test
    void namesTheOfficeApplicationWhenTheNameAgreesWithTheContainer() throws Exception {
        Path doc = fixture("blank.doc");

        FileTypeReport report = DETECTOR.detect(sample(doc, "blank.doc"));

        assertThat(DETECTOR.typeByContent(doc)).isEqualTo("application/x-tika-msoffice");
        assertThat(report.typeByContent()).isEqualTo("application/msword");
        assertThat(report.typeByName()).isEqualTo("application/msword");
        assertThat(report.typeAsText()).isEqualTo("Microsoft Word Document");
    }

    @Test
    void aNameContradictingTheContentDoesNotChangeTheContentType() throws Exception {
        FileTypeReport report = DETECTOR.detect(sample(fixture("blank.doc"), "harmless.pdf"));

        assertThat(report.typeByContent()).isEqualTo("application/x-tika-msoffice");
        assertThat(report.typeByName()).isEqualTo("application/pdf");
        assertThat(report.mimeTypes()).containsExactly("application/x-tika-msoffice", "application/pdf");
    }

    @Test
    void aNameCannotMakeTextLookLikeSomethingElse() throws Exception {
        FileTypeReport report = DETECTOR.detect(sample(fixture("textfile"), "textfile.doc"));

        assertThat(report.typeByContent()).isEqualTo("text/plain");
        assertThat(report.typeByName()).isEqualTo("application/msword");
    }

    @Test
    void hasNoDescriptionForUnknownTypes() {
        assertThat(DETECTOR.typeAsText("application/x-no-such-type")).isNull();
        assertThat(DETECTOR.typeAsText("not a type")).isNull();
        assertThat(DETECTOR.typeAsText(null)).isNull();
    }

    @Test
    void namesTheFileWhenItCannotBeRead() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> DETECTOR.typeByContent(missing))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void readsOnlyTheHeadOfLargeFiles() throws Exception {
        Path large = dir.resolve("large.pdf");
        try (OutputStream out = Files.newOutputStream(large)) {
            out.write(Files.readAllBytes(fixture("header.pdf")));
            out.write(new byte[8 * 1024 * 1024]);
        }

        assertThat(DETECTOR.typeByContent(large)).isEqualTo("application/pdf");
    }

    @Test
    void detectsWithTikasRulesRatherThanAskingTikaPerFile() {
        assertThat(DETECTOR.detectsWithTikaMagic()).isTrue();
    }

    @Test
    void aHeadTheCallerReadGivesTheSameReportAsTheFile() throws Exception {
        for (String fixture : List.of("textfile", "header.pdf", "blank.doc")) {
            Sample sample = sample(fixture(fixture), fixture);
            byte[] content = sample.content().readAllBytes();

            FileTypeReport fromHead = DETECTOR.detect(sample, FileHead.of(content, content.length, content.length));

            assertThat(fromHead).isEqualTo(DETECTOR.detect(sample));
        }
    }

    @Test
    void anEmptyHeadIsAnEmptyFile() {
        assertThat(DETECTOR.typeByContent(FileHead.of(new byte[0], 0, 0))).isEqualTo("inode/x-empty");
    }

    @Test
    void onlyTheHeadOfALargeFileCounts() throws Exception {
        byte[] pdf = Files.readAllBytes(fixture("header.pdf"));
        byte[] head = java.util.Arrays.copyOf(pdf, FileHead.LENGTH);

        // what follows the head (here: nothing was read) cannot change the type
        assertThat(DETECTOR.typeByContent(FileHead.of(head, head.length, 10L * FileHead.LENGTH)))
                .isEqualTo("application/pdf");
    }

    @Test
    void canBeSharedBetweenThreads() throws Exception {
        Path text = fixture("textfile");
        Path pdf = fixture("header.pdf");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> List.of(DETECTOR.typeByContent(text), DETECTOR.typeByContent(pdf),
                        String.valueOf(DETECTOR.typeByName("x.py")))));
            }
            for (Future<List<String>> future : futures) {
                assertThat(future.get()).containsExactly("text/plain", "application/pdf", "text/x-python");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Sample sample(Path file, String name) throws IOException {
        return TestContents.read(file, new SampleDeclaration(file.toString(), name, null, null));
    }

    private Path fixture(String name) throws URISyntaxException {
        return Path.of(getClass().getResource(name).toURI());
    }
}
