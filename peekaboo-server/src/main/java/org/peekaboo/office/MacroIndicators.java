package org.peekaboo.office;

import static org.peekaboo.office.MacroIndicator.regex;
import static org.peekaboo.office.MacroIndicator.word;
import static org.peekaboo.ruleset.MacroBehaviour.CODE_LOADING;
import static org.peekaboo.ruleset.MacroBehaviour.DOWNLOAD;
import static org.peekaboo.ruleset.MacroBehaviour.EXECUTION;
import static org.peekaboo.ruleset.MacroBehaviour.FILE_WRITE;
import static org.peekaboo.ruleset.MacroBehaviour.OBFUSCATION;

import java.util.List;
import java.util.regex.Pattern;
import org.peekaboo.office.MacroIndicator.View;

/**
 * The indicators behind {@code olereport.detected_execution}, {@code detected_download},
 * {@code detected_file_write}, {@code detected_code_loading} and {@code detected_obfuscation}.
 * Compiled from Microsoft's VBA and Windows API documentation and from what published
 * analyses of macro droppers name; docs/ruleset.md lists them. Each is narrower than the
 * old {@link MacroKeywords#SUSPICIOUS} word it refines (a {@code cmd} variable, a comment or a
 * message text do not count), because the {@code office_macro_dropper} rule acts on them.
 */
final class MacroIndicators {
    /** Windows DLLs ordinary macros call (Sleep, GetUserName, …); a Declare of anything else loads code. */
    private static final Pattern SYSTEM_LIBRARY = Pattern.compile(
            "(?i)(?:kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|comdlg32|comctl32|winmm|version|shlwapi"
                    + "|wininet|urlmon|winspool\\.drv|mpr|netapi32|imm32|msvbvm60|vbe6|vbe7|vba6|vba7)(?:\\.dll)?");
    private static final Pattern DECLARE_LIB = Pattern.compile(
            "(?i)(?:(?:Public|Private)\\s+)?Declare\\s+(?:PtrSafe\\s+)?(?:Function|Sub)\\s+\\w+\\s+Lib\\s+\"([^\"]*)\"");

    static final List<MacroIndicator> ALL = List.of(
            regex(EXECUTION, "Shell", "Runs a program or command (VBA Shell function)", View.BARE,
                    "(?:(?:VBA|Interaction)\\s*\\.\\s*Shell|(?<!\\.)Shell)\\b(?!\\s*\\.)"),
            word(EXECUTION, "WScript.Shell", "Runs a program or command through Windows Script Host", View.CODE),
            word(EXECUTION, "Shell.Application", "Runs a program through the Windows shell", View.CODE),
            // GetObject("new:{CLSID}") creates the same objects without naming their ProgIDs.
            regex(EXECUTION, "shell CLSID", "Creates WScript.Shell or Shell.Application by class ID", View.CODE,
                    "72C24DD5-D70A-438B-8A42-98424B88AFB8|13709620-C279-11CE-A49E-444553540000"),
            word(EXECUTION, "ShellExecute", "Runs a program through the Windows shell", View.CODE),
            regex(EXECUTION, "WinExec/CreateProcess", "Runs a program through the Windows API", View.CODE,
                    "(?:WinExec|CreateProcess[AW]?)\\b"),
            word(EXECUTION, "PowerShell", "Runs PowerShell commands", View.LITERALS),
            regex(EXECUTION, "cmd", "Runs commands in the Windows command interpreter", View.LITERALS,
                    "cmd(?:\\.exe\\b|\\s*/[ck]\\b)"),
            word(EXECUTION, "Win32_Process", "Starts a process through WMI", View.CODE),
            word(EXECUTION, "CallByName", "Calls a procedure whose name is computed at run time", View.BARE),
            regex(EXECUTION, "MacScript", "Runs an AppleScript", View.BARE, "(?:MacScript|AppleScriptTask)\\b"),
            word(EXECUTION, "ExecuteExcel4Macro", "Runs Excel 4 macro code", View.BARE),
            regex(DOWNLOAD, "URLDownloadToFile", "Downloads a file from the internet", View.CODE,
                    "URLDownloadToFile[AW]?\\b"),
            word(DOWNLOAD, "Microsoft.XMLHTTP", "Sends HTTP requests, e.g. to download a payload", View.CODE),
            regex(DOWNLOAD, "MSXML2.XMLHTTP", "Sends HTTP requests, e.g. to download a payload", View.CODE,
                    "MSXML2\\.XMLHTTP\\b"),
            word(DOWNLOAD, "MSXML2.ServerXMLHTTP", "Sends HTTP requests, e.g. to download a payload", View.CODE),
            word(DOWNLOAD, "WinHttp.WinHttpRequest", "Sends HTTP requests, e.g. to download a payload", View.CODE),
            word(DOWNLOAD, "InternetExplorer.Application", "Fetches web pages through Internet Explorer", View.CODE),
            regex(DOWNLOAD, "PowerShell download", "Downloads in a PowerShell command", View.LITERALS,
                    "Net\\.WebClient\\b|DownloadString\\b|DownloadFile\\b|Invoke-WebRequest\\b|iwr\\s|bitsadmin\\b"),
            new MacroIndicator("ADODB.Stream SaveToFile", "Writes binary data to a file", FILE_WRITE,
                    text -> contains(text.code(), "(?i)\\bADODB\\.Stream\\b")
                            && contains(text.bare(), "(?i)\\.\\s*SaveToFile\\b")),
            word(FILE_WRITE, "CreateTextFile", "Creates a file through the FileSystemObject", View.BARE),
            new MacroIndicator("Open For Binary/Output", "Opens a file for writing and writes to it (Put/Print #)",
                    FILE_WRITE, text -> text.statements().stream().anyMatch(
                            statement -> statement.matches("(?is)Open\\s.+\\sFor\\s+(?:Binary|Output|Append)\\b.*"))
                    && text.statements().stream().anyMatch(statement -> statement.matches("(?is)(?:Put|Print)\\s*#.*"))),
            new MacroIndicator("Declare Lib", "Declares a function of a DLL that is not part of Windows",
                    CODE_LOADING, MacroIndicators::declaresForeignLibrary),
            regex(CODE_LOADING, "VirtualAlloc", "Allocates executable memory to run injected code", View.CODE,
                    "VirtualAlloc(?:Ex)?\\b"),
            word(CODE_LOADING, "RtlMoveMemory", "Copies code into memory to run it", View.CODE),
            regex(CODE_LOADING, "CreateThread", "Runs injected code in a new thread", View.CODE,
                    "Create(?:Remote)?Thread\\b"),
            word(CODE_LOADING, "WriteProcessMemory", "Injects code into another process", View.CODE),
            new MacroIndicator("Chr chain", "Builds strings from many character codes", OBFUSCATION,
                    Obfuscation::chrChain),
            word(OBFUSCATION, "StrReverse", "Writes strings backwards", View.BARE),
            new MacroIndicator("hex string", "Holds a long hex-encoded string", OBFUSCATION, Obfuscation::hexString),
            new MacroIndicator("Base64 string", "Holds a long Base64-encoded string", OBFUSCATION,
                    Obfuscation::base64String),
            new MacroIndicator("string fragments", "Assembles strings from many short pieces", OBFUSCATION,
                    Obfuscation::fragments),
            new MacroIndicator("Replace junk", "Removes junk inserted into strings with Replace", OBFUSCATION,
                    Obfuscation::replaceJunk),
            new MacroIndicator("very long line", "Has a statement of over " + Obfuscation.LONG_LINE + " characters",
                    OBFUSCATION, Obfuscation::longLine));

    private MacroIndicators() {
    }

    private static boolean contains(String text, String regex) {
        return Pattern.compile(regex).matcher(text).find();
    }

    private static boolean declaresForeignLibrary(VbaText text) {
        var matcher = DECLARE_LIB.matcher(text.code());
        while (matcher.find()) {
            if (!SYSTEM_LIBRARY.matcher(matcher.group(1).strip()).matches()) {
                return true;
            }
        }
        return false;
    }
}
