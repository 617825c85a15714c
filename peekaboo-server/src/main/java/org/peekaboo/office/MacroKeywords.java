package org.peekaboo.office;

import static org.peekaboo.office.MacroKeyword.regex;
import static org.peekaboo.office.MacroKeyword.word;

import java.util.List;

/**
 * The keywords behind {@code olereport.has_autoexec}/{@code detected_autoexec} and
 * {@code is_suspicious}/{@code detected_suspicious}. Compiled from the public documentation
 * of Office's automatic macros and event procedures and from what published analyses of
 * macro droppers name as their tell-tale calls; docs/ruleset.md lists them.
 *
 * <p>The auto-run triggers decide, together with {@link MacroIndicators}, in the
 * {@code office_macro_dropper} rule; the suspicious keywords only describe, no rule acts on
 * them unless an expression asks. The {@code office_macro_with_suspicious_keyword} rule
 * searches its own configured regexes.
 */
public final class MacroKeywords {
    /** ActiveX controls fire these as soon as the document shows them, without a click. */
    static final MacroKeyword ACTIVEX_EVENT = regex("ActiveX event",
            "Runs when an embedded ActiveX control is shown or gets the focus",
            "\\w+_(?:Layout|Painted|Resize|GotFocus|LostFocus|MouseHover|MouseEnter)\\b");

    /**
     * Procedures Office runs by itself when a document is opened, closed or created; found only
     * as the names of declared procedures.
     */
    public static final List<MacroKeyword> AUTOEXEC = List.of(
            word("AutoExec", "Runs when Word starts or the global template is loaded"),
            word("AutoOpen", "Runs when the Word document is opened"),
            word("Document_Open", "Runs when the Word document is opened"),
            word("DocumentOpen", "Runs when a Word document is opened"),
            word("AutoNew", "Runs when a new Word document is created from the template"),
            word("Document_New", "Runs when a new Word document is created from the template"),
            word("NewDocument", "Runs when a new Word document is created"),
            word("AutoClose", "Runs when the Word document is closed"),
            word("Document_Close", "Runs when the Word document is closed"),
            word("DocumentBeforeClose", "Runs when a Word document is about to close"),
            word("AutoExit", "Runs when Word exits"),
            word("Auto_Open", "Runs when the Excel workbook or PowerPoint add-in is opened"),
            word("Workbook_Open", "Runs when the Excel workbook is opened"),
            word("Workbook_Activate", "Runs when the Excel workbook window is activated"),
            word("Auto_Close", "Runs when the Excel workbook is closed"),
            word("Workbook_BeforeClose", "Runs when the Excel workbook is about to close"),
            word("Workbook_Deactivate", "Runs when the Excel workbook window is left"),
            // PowerPoint has no document-open event; it calls these module procedures by name
            // during any slide show, and a .pps opens straight into one.
            word("OnSlideShowPageChange", "Runs when a PowerPoint slide show starts or moves to another slide"),
            word("OnSlideShowTerminate", "Runs when a PowerPoint slide show ends"),
            ACTIVEX_EVENT);

    /** Calls and objects that macro droppers use and ordinary document macros rarely need. */
    public static final List<MacroKeyword> SUSPICIOUS = List.of(
            word("Shell", "May run an executable file or a system command"),
            word("WScript.Shell", "May run a program or command through Windows Script Host"),
            word("Shell.Application", "May run a program or command through the Windows shell"),
            word("ShellExecute", "May run an executable file or a system command"),
            word("PowerShell", "May run PowerShell commands"),
            word("cmd.exe", "May run commands in the Windows command interpreter"),
            word("CreateObject", "May create an OLE object, e.g. a shell, network or file object"),
            word("GetObject", "May get an OLE object, e.g. a running program or a WMI service"),
            word("winmgmts", "May start processes or query the system through WMI"),
            word("CallByName", "May call a procedure whose name is computed at run time, hiding the call"),
            word("Environ", "May read environment variables, e.g. the temp folder or the user name"),
            word("Kill", "May delete a file"),
            word("URLDownloadToFile", "May download a file from the internet"),
            word("URLDownloadToFileA", "May download a file from the internet"),
            word("Microsoft.XMLHTTP", "May send HTTP requests, e.g. to download a payload"),
            word("MSXML2.XMLHTTP", "May send HTTP requests, e.g. to download a payload"),
            word("MSXML2.ServerXMLHTTP", "May send HTTP requests, e.g. to download a payload"),
            word("WinHttp.WinHttpRequest", "May send HTTP requests, e.g. to download a payload"),
            word("ADODB.Stream", "May write downloaded or decoded binary data to a file"),
            word("SaveToFile", "May write a file"),
            word("Scripting.FileSystemObject", "May read, write or delete files"),
            regex("Open For Binary", "May read or write a binary file", "Open\\s.+\\sFor\\s+Binary\\b"),
            regex("Declare", "May call functions of Windows DLLs directly",
                    "Declare\\s+(?:PtrSafe\\s+)?(?:Function|Sub)\\b"),
            word("VirtualAlloc", "May allocate executable memory to run injected code"),
            word("RtlMoveMemory", "May copy code into memory to run it"),
            word("CreateThread", "May run injected code in a new thread"),
            word("WriteProcessMemory", "May inject code into another process"),
            word("SendKeys", "May control other programs by simulating key presses"),
            word("ExecuteExcel4Macro", "May run Excel 4 macro code"),
            word("VBProject", "May read or change the document's own VBA code"),
            word("AccessVBOM", "May weaken the trust settings for access to VBA projects"),
            regex("Chr", "May hide strings by building them from character codes", "Chr[BW]?\\$?\\s*\\("),
            word("StrReverse", "May hide strings by writing them backwards"));

    /** An Excel 4 macro sheet cell named Auto_Open runs when the workbook opens. */
    static final MacroKeyword XLM_AUTO_OPEN =
            word("Auto_Open", "An Excel 4 macro runs when the workbook is opened (defined name)");
    /** An Excel 4 macro sheet cell named Auto_Close runs when the workbook closes. */
    static final MacroKeyword XLM_AUTO_CLOSE =
            word("Auto_Close", "An Excel 4 macro runs when the workbook is closed (defined name)");

    /** An Excel 4 macro sheet cell named Auto_Activate runs when the workbook window is activated. */
    static final MacroKeyword XLM_AUTO_ACTIVATE =
            word("Auto_Activate", "An Excel 4 macro runs when the workbook is activated (defined name)");

    private MacroKeywords() {
    }
}
