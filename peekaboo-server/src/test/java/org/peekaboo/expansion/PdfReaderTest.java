package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.sample.SampleContent;

class PdfReaderTest {
    private static final byte[] TEXT = "Minutes of the meeting.".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path spoolDirectory;
    private ArchiveFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new ArchiveFixtures(spoolDirectory);
    }

    @Test
    void aPdfIsAContainer() {
        assertThat(ContainerFormat.of("application/pdf", null)).contains(ContainerFormat.PDF);
    }

    @Test
    void theAttachmentsAreMembersByTheirNames() throws IOException {
        byte[] zip = ArchiveFixtures.zip(Map.of("invoice.js", "WScript.Echo('example.invalid');"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("invoice.zip", zip);
        files.put("minutes.txt", TEXT);
        byte[] pdf = DropperPdfs.attachments(files);
        // PDFBox writes the dictionaries into compressed object streams: the /EF keys are found inflated.
        assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).contains("/ObjStm").doesNotContain("/EF");

        Expansion expansion = read(pdf);

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path).containsExactly("invoice.zip", "minutes.txt");
        assertThat(ArchiveFixtures.bytes(expansion.members().get(0))).isEqualTo(zip);
        assertThat(ArchiveFixtures.bytes(expansion.members().get(1))).isEqualTo(TEXT);
        expansion.closeMembers();
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    @Test
    void aFileAttachmentAnnotationIsAMember() {
        Expansion expansion = read(DropperPdfs.attachmentAnnotation("Rechnung.js", TEXT));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.path()).isEqualTo("Rechnung.js");
            assertThat(ArchiveFixtures.bytes(member)).isEqualTo(TEXT);
        });
        expansion.closeMembers();
    }

    @Test
    void attachmentsAreFoundWithoutObjectStreamsAndUnderAnEscapedName() {
        for (String key : List.of("/EF", "/E#46", "/#45#46")) {
            Expansion expansion = read(handWritten(key));

            assertThat(expansion.findings()).as(key).isEmpty();
            assertThat(expansion.members()).as(key).singleElement().satisfies(member -> {
                assertThat(member.path()).isEqualTo("invoice.js");
                assertThat(ArchiveFixtures.bytes(member)).isEqualTo(TEXT);
            });
            expansion.closeMembers();
        }
    }

    @Test
    void anAttachmentInAnotherFilterIsDecodedByPdfBox() throws IOException {
        byte[] pdf;
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage());
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(Map.of("minutes.txt", specification("minutes.txt", new PDEmbeddedFile(document,
                    new java.io.ByteArrayInputStream(TEXT), COSName.ASCII_HEX_DECODE))));
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            pdf = out.toByteArray();
        }

        Expansion expansion = read(pdf);

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(ArchiveFixtures.bytes(member)).isEqualTo(TEXT));
        expansion.closeMembers();
    }

    @Test
    void aPlainPdfHasNoMembers() {
        Expansion expansion = read(DropperPdfs.plain());

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).isEmpty();
    }

    @Test
    void aPdfInsideIsAMemberNotOpenedHere() {
        byte[] inner = DropperPdfs.embedded("inner.txt", TEXT);

        Expansion expansion = read(DropperPdfs.embedded("inner.pdf", inner));

        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(ArchiveFixtures.bytes(member)).isEqualTo(inner));
        expansion.closeMembers();
    }

    @Test
    void aFlateBombReachesTheRatioLimitNotTheHeap() throws IOException {
        byte[] bomb = DropperPdfs.zeroBomb("zeros.bin", 64L << 20);
        assertThat(bomb.length).isLessThan(1 << 20);

        Expansion expansion = read(bomb, fixtures.budget(ArchiveFixtures.settings(100, 1L << 30, List.of())));

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.RATIO);
            assertThat(finding.detail()).contains("zeros.bin");
        });
        assertThat(fixtures.spooledFiles()).isEmpty();
    }

    @Test
    void theSizeLimitCountsTheDecodedBytes() {
        byte[] pdf = DropperPdfs.attachments(Map.of("big.txt", new byte[300_000]));

        Expansion expansion = read(pdf, fixtures.budget(ArchiveFixtures.settings(100, 100_000, List.of())));

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.SIZE));
    }

    @Test
    void theMemberLimitStopsTheReading() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            files.put("note" + i + ".txt", TEXT);
        }

        Expansion expansion = read(DropperPdfs.attachments(files),
                fixtures.budget(ArchiveFixtures.settings(2, 1 << 20, List.of())));

        assertThat(expansion.members()).hasSize(2);
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.MEMBERS));
        expansion.closeMembers();
    }

    @Test
    void anEncryptedPdfWithTheEmptyUserPasswordIsRead() {
        byte[] pdf = DropperPdfs.encrypted(DropperPdfs.attachments(Map.of("minutes.txt", TEXT)), "");

        Expansion expansion = read(pdf);

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(ArchiveFixtures.bytes(member)).isEqualTo(TEXT));
        expansion.closeMembers();
    }

    @Test
    void anEncryptedPdfIsOpenedByAPasswordOrReportedEncrypted() {
        byte[] pdf = DropperPdfs.encrypted(DropperPdfs.attachments(Map.of("minutes.txt", TEXT)), "Rg-2026!");

        Expansion closed = read(pdf);
        Expansion opened = read(pdf, Passwords.none().withWords(List.of("Rechnung", "Rg-2026!"), 10),
                fixtures.budget(ArchiveFixtures.defaults()));

        assertThat(closed.members()).isEmpty();
        assertThat(closed.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.ENCRYPTED));
        assertThat(opened.findings()).isEmpty();
        assertThat(opened.members()).singleElement()
                .satisfies(member -> assertThat(ArchiveFixtures.bytes(member)).isEqualTo(TEXT));
        opened.closeMembers();
    }

    @Test
    void aPdfPdfBoxCannotLoadIsNotOpenedAndGoesOnUndamaged() {
        byte[] garbage = "%PDF-1.7\n1 0 obj << /Type /Catalog".getBytes(StandardCharsets.US_ASCII);

        Expansion expansion = read(garbage);

        // No viewer shows it either; damaged would refuse it (unreadable_result: bad).
        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).isEmpty();
    }

    @Test
    void anAttachmentThatCannotBeDecodedIsDamagedAndTheOthersAreRead() {
        byte[] pdf = withCorruptAttachment();

        Expansion expansion = read(pdf);

        assertThat(expansion.members()).extracting(Member::path).containsExactly("minutes.txt");
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("\"broken.zip\"");
        });
        expansion.closeMembers();
    }

    @Test
    void anInterruptionStopsTheReading() {
        byte[] pdf = DropperPdfs.attachments(Map.of("minutes.txt", TEXT));

        Thread.currentThread().interrupt();
        Expansion expansion;
        try {
            expansion = read(pdf);
        } finally {
            Thread.interrupted();
        }

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).containsExactly(Finding.interrupted());
    }

    /**
     * A PDF written by hand, without object streams, whose one attachment is an orphan file
     * specification (no name tree, no annotation) with {@code efKey} as the name of its /EF entry.
     */
    private static byte[] handWritten(String efKey) {
        String text = new String(TEXT, StandardCharsets.US_ASCII);
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                "<< /Type /Filespec /F (invoice.js) " + efKey + " << /F 5 0 R >> >>",
                "<< /Type /EmbeddedFile /Length " + text.length() + " >>\nstream\n" + text + "\nendstream");
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new java.util.ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length());
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        offsets.forEach(offset -> pdf.append("%010d 00000 n \n".formatted(offset)));
        pdf.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Two attachments, the first a FlateDecode stream whose bytes are no zlib data. */
    private static byte[] withCorruptAttachment() {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage());
            PDEmbeddedFile broken = new PDEmbeddedFile(document);
            COSStream stream = broken.getCOSObject();
            try (OutputStream raw = stream.createRawOutputStream()) {
                raw.write("this is not deflated at all, not even a zlib header".getBytes(StandardCharsets.US_ASCII));
            }
            stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
            Map<String, PDComplexFileSpecification> files = new LinkedHashMap<>();
            files.put("broken.zip", specification("broken.zip", broken));
            files.put("minutes.txt", specification("minutes.txt", new PDEmbeddedFile(document,
                    new java.io.ByteArrayInputStream(TEXT), COSName.FLATE_DECODE)));
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(files);
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(document.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            document.getDocumentCatalog().setNames(names);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PDComplexFileSpecification specification(String name, PDEmbeddedFile file) {
        PDComplexFileSpecification specification = new PDComplexFileSpecification();
        specification.setFileUnicode(name);
        specification.setEmbeddedFileUnicode(file);
        return specification;
    }

    private Expansion read(byte[] pdf) {
        return read(pdf, fixtures.budget(ArchiveFixtures.defaults()));
    }

    private Expansion read(byte[] pdf, ExpansionBudget budget) {
        return read(pdf, Passwords.none(), budget);
    }

    private Expansion read(byte[] pdf, Passwords passwords, ExpansionBudget budget) {
        try (SampleContent content = SampleContent.of(pdf, fixtures.spool)) {
            return new PdfReader().read(content, ContainerFormat.PDF, "invoice.pdf", passwords, budget);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
