package org.peekaboo.office;

import static org.peekaboo.ruleset.MacroBehaviour.CODE_LOADING;
import static org.peekaboo.ruleset.MacroBehaviour.DOWNLOAD;
import static org.peekaboo.ruleset.MacroBehaviour.EXECUTION;
import static org.peekaboo.ruleset.MacroBehaviour.FILE_WRITE;
import static org.peekaboo.ruleset.MacroBehaviour.OBFUSCATION;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peekaboo.ruleset.MacroBehaviour;

/**
 * The Excel 4 (XLM) indicators, reported in the same {@code detected_*} lists as the VBA ones.
 * Compiled from Microsoft's Excel 4 macro function reference and from what published analyses
 * of XLM droppers name; docs/ruleset.md lists them. {@code RUN} and {@code GOTO} only move
 * between cells and count for nothing: benign macro sheets use them all the time.
 */
final class XlmIndicators {
    /** An Excel 4 function is called by its name followed by a parenthesis; a dot belongs to the name. */
    private static final String FUNCTION_START = "(?<![A-Za-z0-9_.])";
    /** CALL and REGISTER reach any exported function of any DLL: what is called decides. */
    private static final Pattern DLL_CALL = Pattern.compile(
            "(?i)" + FUNCTION_START + "(?:CALL|REGISTER(?:\\.ID)?)\\s*\\(\\s*(\"[^\"]*\"|[^,)]*)");
    private static final Pattern SYSTEM_LIBRARY = Pattern.compile(
            "(?i)\"(?:kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|comdlg32|comctl32|winmm|version"
                    + "|shlwapi|wininet|urlmon|ntdll|mpr|netapi32|xlcall32)(?:\\.dll)?\"");
    private static final Pattern CHAR_CALL = Pattern.compile("(?i)" + FUNCTION_START + "CHAR\\s*\\(");
    private static final Pattern FORMULA_CALL = Pattern.compile(
            "(?i)" + FUNCTION_START + "FORMULA(?:\\.FILL|\\.ARRAY)?\\s*\\(");
    /**
     * Environment queries that tell an analysis sandbox from a desktop and mean nothing to an
     * ordinary macro: the operating environment, the usable window size, a mouse, single-step
     * mode, sound, a hidden or maximised window.
     */
    private static final Pattern SANDBOX_CHECK = Pattern.compile("(?i)" + FUNCTION_START
            + "(?:GET\\.WORKSPACE\\s*\\(\\s*(?:1|13|14|19|31|42)\\s*\\)|GET\\.WINDOW\\s*\\(\\s*(?:7|20|23)\\s*[,)])");

    static final List<XlmIndicator> ALL = List.of(
            function(EXECUTION, "EXEC", "Runs a program or command (Excel 4 EXEC)", "EXEC"),
            apiCall(EXECUTION, "WinExec/ShellExecute", "Runs a program through the Windows API (CALL/REGISTER)",
                    "WinExec|ShellExecute(?:Ex)?[AW]?|CreateProcess(?:AsUser)?[AW]?"),
            apiCall(DOWNLOAD, "URLDownloadToFile", "Downloads a file from the internet (CALL/REGISTER)",
                    "URLDownloadTo(?:Cache)?File[AW]?|InternetOpenUrl[AW]?|InternetReadFile|URLOpenBlockingStream[AW]?"),
            function(FILE_WRITE, "FWRITE", "Writes a file (Excel 4 FWRITE/FWRITELN)", "FWRITE|FWRITELN"),
            apiCall(CODE_LOADING, "VirtualAlloc/CreateThread",
                    "Copies code into memory and runs it through the Windows API (CALL/REGISTER)",
                    "VirtualAlloc(?:Ex)?|VirtualProtect(?:Ex)?|CreateThread|CreateRemoteThread|WriteProcessMemory"
                            + "|RtlCopyMemory|RtlMoveMemory|QueueUserAPC|NtAllocateVirtualMemory|LoadLibrary(?:Ex)?[AW]?"),
            new XlmIndicator(name("CALL/REGISTER DLL"),
                    "Calls a function of a DLL that is not part of Windows, or of one named at run time", CODE_LOADING,
                    XlmIndicators::foreignLibrary),
            new XlmIndicator(name("FORMULA"), "Writes formulas assembled at run time into cells (FORMULA with"
                    + " CHAR or &)", OBFUSCATION, formulas -> formulas.stream().anyMatch(f ->
                    FORMULA_CALL.matcher(f).find() && (CHAR_CALL.matcher(f).find() || f.indexOf('&') >= 0))),
            new XlmIndicator(name("CHAR"), "Builds strings from many character codes (CHAR)", OBFUSCATION,
                    XlmIndicators::charChain),
            new XlmIndicator(name("GET.WORKSPACE"), "Checks its environment as sandbox-evading macros do"
                    + " (GET.WORKSPACE/GET.WINDOW)", OBFUSCATION,
                    formulas -> formulas.stream().anyMatch(f -> SANDBOX_CHECK.matcher(f).find())));

    private XlmIndicators() {
    }

    private static String name(String name) {
        return name + " (Excel 4)";
    }

    private static XlmIndicator function(MacroBehaviour behaviour, String name, String description, String functions) {
        Pattern pattern = Pattern.compile("(?i)" + FUNCTION_START + "(?:" + functions + ")\\s*\\(");
        return new XlmIndicator(name(name), description, behaviour,
                formulas -> formulas.stream().anyMatch(f -> pattern.matcher(f).find()));
    }

    /** A Windows function named in a formula that calls or registers a DLL function. */
    private static XlmIndicator apiCall(MacroBehaviour behaviour, String name, String description, String functions) {
        Pattern pattern = Pattern.compile("(?i)\"(?:" + functions + ")\"");
        return new XlmIndicator(name(name), description, behaviour, formulas -> formulas.stream()
                .anyMatch(f -> DLL_CALL.matcher(f).find() && pattern.matcher(f).find()));
    }

    private static boolean foreignLibrary(List<String> formulas) {
        for (String formula : formulas) {
            Matcher call = DLL_CALL.matcher(formula);
            while (call.find()) {
                String library = call.group(1).strip();
                if (library.startsWith("\"")) {
                    if (!SYSTEM_LIBRARY.matcher(library).matches()) {
                        return true;
                    }
                } else if (!call.group().regionMatches(true, 0, "CALL", 0, 4)) {
                    // CALL(ref, ...) calls what a REGISTER elsewhere set up, judged there; a
                    // REGISTER whose library is computed hides which DLL it loads.
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean charChain(List<String> formulas) {
        int total = 0;
        for (String formula : formulas) {
            Matcher matcher = CHAR_CALL.matcher(formula);
            int count = 0;
            while (matcher.find()) {
                count++;
            }
            if (count >= Obfuscation.CHR_PER_STATEMENT) {
                return true;
            }
            total += count;
        }
        return total >= Obfuscation.CHR_TOTAL;
    }
}
