package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.ruleset.MacroBehaviour;

/** The indicators on VBA source as POI hands it over: no document needed. */
class MacroIndicatorsTest {

    private static OleReport report(String... lines) {
        Findings findings = new Findings(1 << 20);
        findings.addModule("doc", "Module1", "Attribute VB_Name = \"Module1\"\r\n" + String.join("\r\n", lines) + "\r\n");
        return findings.report();
    }

    private static List<String> indicators(MacroBehaviour behaviour, String... lines) {
        return report(lines).indicators(behaviour);
    }

    @Test
    void triggersAreDeclarationsInEverySpelling() {
        assertThat(report("Sub AutoOpen()", "End Sub").autoexecTriggers()).containsExactly("AutoOpen");
        assertThat(report("Private Sub Document_Open()", "End Sub").autoexecTriggers()).containsExactly("Document_Open");
        assertThat(report("sub auto_open", "end sub").autoexecTriggers()).containsExactly("Auto_Open");
        assertThat(report("Public Sub Workbook_Open()", "End Sub").autoexecTriggers()).containsExactly("Workbook_Open");
        assertThat(report("Private Sub Workbook_BeforeClose(Cancel As Boolean)", "End Sub").autoexecTriggers())
                .containsExactly("Workbook_BeforeClose");
        assertThat(report("Sub AutoOpen : MsgBox \"x\" : End Sub").autoexecTriggers()).containsExactly("AutoOpen");
        assertThat(report("Public Static Function AUTOCLOSE() As Long", "End Function").autoexecTriggers())
                .containsExactly("AutoClose");
        assertThat(report("Private Sub Document_Open _", "  ()", "End Sub").autoexecTriggers())
                .containsExactly("Document_Open");
    }

    @Test
    void activeXEventsAreNamedByTheirHandler() {
        assertThat(report("Private Sub InkPicture1_Painted(ByVal hDC As Long, ByVal Rect As Any)", "End Sub")
                .detectedAutoexec()).containsExactly(
                "InkPicture1_Painted: Runs when an embedded ActiveX control is shown or gets the focus");
        assertThat(report("Private Sub TextBox1_GotFocus()", "End Sub").autoexecTriggers())
                .containsExactly("TextBox1_GotFocus");
    }

    @Test
    void commentsStringsAndCallsAreNoTriggers() {
        OleReport report = report(
                "' Sub AutoOpen()",
                "Rem Sub Document_Open()",
                "Sub Tidy() ' runs like AutoOpen",
                "  MsgBox \"Sub Workbook_Open\"",
                "  Call AutoOpenLater",
                "  x = 1 : Rem AutoClose",
                "End Sub");

        assertThat(report.autoexecTriggers()).isEmpty();
        assertThat(report.hasAutoexec()).isFalse();
    }

    @Test
    void projectsWithoutStatementsHaveNoCode() {
        assertThat(report("Attribute VB_Base = \"0{00020906-0000-0000-C000-000000000046}\"",
                "Attribute VB_Creatable = False", "Attribute VB_PredeclaredId = True").hasMacroCode()).isFalse();
        assertThat(report("Option Explicit", "", "' nothing here yet", "Rem nor here", "option compare text")
                .hasMacroCode()).isFalse();
        assertThat(report("Option Explicit", "Sub Tidy()", "End Sub").hasMacroCode()).isTrue();
        assertThat(report("Option Explicit").hasOfficeMacros()).isTrue();
    }

    @Test
    void executionIsTold() {
        assertThat(indicators(MacroBehaviour.EXECUTION, "Shell \"calc.exe\", vbHide")).containsExactly("Shell");
        assertThat(indicators(MacroBehaviour.EXECUTION, "x = VBA.Shell(cmdLine)")).containsExactly("Shell");
        assertThat(indicators(MacroBehaviour.EXECUTION, "x = Interaction.Shell(cmdLine)")).containsExactly("Shell");
        assertThat(indicators(MacroBehaviour.EXECUTION,
                "Set o = GetObject(\"new:72C24DD5-D70A-438B-8A42-98424B88AFB8\")")).containsExactly("shell CLSID");
        assertThat(indicators(MacroBehaviour.EXECUTION, "Set o = CreateObject(\"wscript.shell\")", "o.Run c, 0"))
                .containsExactly("WScript.Shell");
        assertThat(indicators(MacroBehaviour.EXECUTION,
                "CreateObject(\"Shell.Application\").ShellExecute \"a.exe\"")).containsExactly(
                "Shell.Application", "ShellExecute");
        assertThat(indicators(MacroBehaviour.EXECUTION, "c = \"powershell -nop -w hidden\"")).containsExactly("PowerShell");
        assertThat(indicators(MacroBehaviour.EXECUTION, "c = \"cmd /c start a.exe\"")).containsExactly("cmd");
        assertThat(indicators(MacroBehaviour.EXECUTION,
                "GetObject(\"winmgmts:\").Get(\"Win32_Process\").Create c, Null, Null, pid")).containsExactly("Win32_Process");
        assertThat(indicators(MacroBehaviour.EXECUTION, "CallByName o, m, VbMethod")).containsExactly("CallByName");
        assertThat(indicators(MacroBehaviour.EXECUTION, "MacScript s")).containsExactly("MacScript");
        assertThat(indicators(MacroBehaviour.EXECUTION, "ExecuteExcel4Macro \"EXEC(\"\"calc\"\")\""))
                .containsExactly("ExecuteExcel4Macro");
    }

    @Test
    void ordinaryNamesAndTextsAreNoExecution() {
        assertThat(indicators(MacroBehaviour.EXECUTION,
                "Dim cmd As CommandBarButton", "Set cmd = bar.Controls.Add", "ShellSort a",
                "MsgBox \"Open the shell of the turtle\"", "' Shell \"calc\"", "x = \"cmdOK\"")).isEmpty();
    }

    @Test
    void downloadsAreTold() {
        assertThat(indicators(MacroBehaviour.DOWNLOAD,
                "Private Declare PtrSafe Function Dl Lib \"urlmon\" Alias \"URLDownloadToFileA\" (ByVal a As Long) As Long"))
                .containsExactly("URLDownloadToFile");
        assertThat(indicators(MacroBehaviour.DOWNLOAD, "Set h = CreateObject(\"MSXML2.XMLHTTP.6.0\")"))
                .containsExactly("MSXML2.XMLHTTP");
        assertThat(indicators(MacroBehaviour.DOWNLOAD, "CreateObject(\"Microsoft.XMLHTTP\")",
                "CreateObject(\"MSXML2.ServerXMLHTTP\")", "CreateObject(\"WinHttp.WinHttpRequest.5.1\")",
                "CreateObject(\"InternetExplorer.Application\").Navigate u")).containsExactly(
                "Microsoft.XMLHTTP", "MSXML2.ServerXMLHTTP", "WinHttp.WinHttpRequest", "InternetExplorer.Application");
        assertThat(indicators(MacroBehaviour.DOWNLOAD, "c = \"(New-Object Net.WebClient).DownloadFile(u, p)\""))
                .containsExactly("PowerShell download");
    }

    @Test
    void fileWritesAreTold() {
        assertThat(indicators(MacroBehaviour.FILE_WRITE, "Set s = CreateObject(\"ADODB.Stream\")",
                "s.SaveToFile p, 2")).containsExactly("ADODB.Stream SaveToFile");
        assertThat(indicators(MacroBehaviour.FILE_WRITE, "Set f = fso.CreateTextFile(p, True)"))
                .containsExactly("CreateTextFile");
        assertThat(indicators(MacroBehaviour.FILE_WRITE, "Open p For Binary As #1", "Put #1, , data", "Close #1"))
                .containsExactly("Open For Binary/Output");
        assertThat(indicators(MacroBehaviour.FILE_WRITE, "Open p For Binary Access Read As #1", "Get #1, , data"))
                .isEmpty();
    }

    @Test
    void codeLoadingIsTold() {
        assertThat(indicators(MacroBehaviour.CODE_LOADING,
                "Private Declare PtrSafe Function Go Lib \"C:\\Users\\Public\\x.dll\" () As Long")).containsExactly(
                "Declare Lib");
        assertThat(indicators(MacroBehaviour.CODE_LOADING,
                "Private Declare PtrSafe Sub Sleep Lib \"kernel32\" (ByVal ms As Long)",
                "Declare Function GetUserName Lib \"advapi32.dll\" Alias \"GetUserNameA\" (ByVal b As String) As Long"))
                .isEmpty();
        assertThat(indicators(MacroBehaviour.CODE_LOADING,
                "Private Declare PtrSafe Function VirtualAlloc Lib \"kernel32\" (ByVal a As LongPtr) As LongPtr",
                "Private Declare PtrSafe Sub RtlMoveMemory Lib \"kernel32\" (ByVal d As LongPtr)",
                "Private Declare PtrSafe Function CreateThread Lib \"kernel32\" (ByVal a As Long) As LongPtr"))
                .containsExactly("VirtualAlloc", "RtlMoveMemory", "CreateThread");
    }

    @Test
    void obfuscationIsTold() {
        String chain = "c = " + "Chr(99) & ".repeat(8) + "\"\"";
        assertThat(indicators(MacroBehaviour.OBFUSCATION, chain)).containsExactly("Chr chain");
        assertThat(indicators(MacroBehaviour.OBFUSCATION, "s = StrReverse(\"exe.clac\")")).containsExactly("StrReverse");
        assertThat(indicators(MacroBehaviour.OBFUSCATION, "s = \"" + "4D5A9000".repeat(13) + "\""))
                .containsExactly("hex string");
        assertThat(indicators(MacroBehaviour.OBFUSCATION, "s = \"" + "JABzAD0ATgBlAHcALQBPAGIAagBlAGMAdAA".repeat(3) + "\""))
                .containsExactly("Base64 string");
        assertThat(indicators(MacroBehaviour.OBFUSCATION, "s = " + "\"po\" & ".repeat(10) + "\"\""))
                .containsExactly("string fragments");
        assertThat(indicators(MacroBehaviour.OBFUSCATION, "s = Replace(\"pXXowXXershXXell\", \"XX\", \"\")"))
                .containsExactly("Replace junk");
        assertThat(indicators(MacroBehaviour.OBFUSCATION, "s = a" + " + b".repeat(400))).containsExactly("very long line");
    }

    @Test
    void ordinaryStringHandlingIsNoObfuscation() {
        assertThat(indicators(MacroBehaviour.OBFUSCATION,
                "MsgBox \"Done\" & Chr(13) & Chr(10) & \"Bye\"",
                "s = Replace(s, \" \", \"\")",
                "s = Replace(name, \".xlsx\", \"\")",
                "c = \"FF00FF\"",
                "s = \"a\" & b & \"c\"")).isEmpty();
    }

    @Test
    void detectedSuspiciousStaysTheUnion() {
        OleReport report = report("Sub AutoOpen()", "  Set s = CreateObject(\"ADODB.Stream\")", "  s.SaveToFile p, 2",
                "  x = StrReverse(y)", "End Sub");

        assertThat(report.detectedSuspicious()).extracting(finding -> finding.substring(0, finding.indexOf(':')))
                .containsExactly("CreateObject", "ADODB.Stream", "SaveToFile", "StrReverse", "ADODB.Stream SaveToFile");
        assertThat(report.detectedBehaviour().get(MacroBehaviour.OBFUSCATION)).containsExactly(
                "StrReverse: Writes strings backwards");
    }
}
