package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class PdfDropperRuleTest {
    private static final RuleResult NOTHING_FOUND = RuleResult.proceed("pdf_dropper", Result.UNKNOWN,
            "The PDF runs and carries nothing suspicious");
    private static final RuleResult UNREADABLE = RuleResult.proceed("pdf_dropper", Result.UNKNOWN,
            "The PDF cannot be read");

    private final PdfDropperRule rule = new PdfDropperRule();

    @TempDir
    Path dir;

    @Test
    void aLaunchActionIsBad() throws IOException {
        assertThat(evaluate(DropperPdfs.launch("cmd.exe", "/c calc"), "invoice.pdf")).isEqualTo(RuleResult.stop(
                "pdf_dropper", Result.BAD, "The file is a PDF that has a /Launch action (\"cmd.exe\")"));
    }

    @Test
    void javaScriptRunWhenTheDocumentOpensIsBadAndNamesItsSuspiciousCalls() throws IOException {
        assertThat(evaluate(DropperPdfs.openActionScript("app.alert('Hello');"), "a.pdf").reason())
                .isEqualTo("The file is a PDF that runs JavaScript when the document opens");
        assertThat(evaluate(DropperPdfs.openActionScript("app.launchURL('http://example.invalid/x', true);"),
                "a.pdf").reason()).isEqualTo("The file is a PDF that runs JavaScript when the document opens"
                        + " (launchURL); has JavaScript that calls launchURL");
    }

    @Test
    void javaScriptRunWhenAPageOpensIsBad() throws IOException {
        assertThat(evaluate(DropperPdfs.pageOpenScript("app.alert('x');"), "a.pdf").reason())
                .isEqualTo("The file is a PDF that runs JavaScript when a page opens");
    }

    @Test
    void aDocumentLevelScriptIsBad() throws IOException {
        assertThat(evaluate(DropperPdfs.documentLevelScript("var x = 1;"), "a.pdf").reason())
                .isEqualTo("The file is a PDF that runs JavaScript as a document-level script");
    }

    @Test
    void anEmbeddedProgramExportedWhenTheDocumentOpensIsBad() throws IOException {
        assertThat(evaluate(DropperPdfs.embeddedExport("invoice.exe", DropperPdfs.fakeProgram()), "a.pdf").reason())
                .contains("runs JavaScript when the document opens (exportDataObject)",
                        "carries the attached file \"invoice.exe\", a program or script by its name");
    }

    @Test
    void anAttachedScriptOrProgramIsBadByNameOrByHeader() throws IOException {
        byte[] script = "WScript.Echo(1);".getBytes(StandardCharsets.US_ASCII);

        assertThat(evaluate(DropperPdfs.attachmentAnnotation("Rechnung.js", script), "a.pdf").reason())
                .isEqualTo("The file is a PDF that carries the attached file \"Rechnung.js\", a program or script"
                        + " by its name");
        assertThat(evaluate(DropperPdfs.embedded("photo.jpg", DropperPdfs.fakeProgram()), "a.pdf").reason())
                .isEqualTo("The file is a PDF that carries the attached file \"photo.jpg\", a Windows program"
                        + " (MZ header)");
    }

    @Test
    void anAttachedSpreadsheetWithoutMacrosGoesOn() throws IOException {
        byte[] csv = "a;b\n1;2\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(evaluate(DropperPdfs.embedded("figures.csv", csv), "a.pdf")).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void suspiciousCallsAnywhereAreBad() throws IOException {
        String spray = "var s = unescape('%u9090%u9090%u9090%u9090'); util.printf('%45000.45000f', 0);";

        assertThat(evaluate(DropperPdfs.benignFormWithButtonScript(spray), "form.pdf").reason())
                .isEqualTo("The file is a PDF that has JavaScript that calls util.printf heap spray,"
                        + " unescape of %u shellcode");
    }

    @Test
    void formsWithFieldFormattingScriptsAndPlainPdfsGoOn() throws IOException {
        assertThat(evaluate(DropperPdfs.benignForm(), "form.pdf")).isEqualTo(NOTHING_FOUND);
        assertThat(evaluate(DropperPdfs.plain(), "letter.pdf")).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void anXfaScriptThatRunsWhenTheFormOpensAndMakesASuspiciousCallIsBad() throws IOException {
        for (boolean asPackets : new boolean[] {true, false}) {
            byte[] pdf = DropperPdfs.xfaForm(DropperPdfs.xfaEvent("initialize",
                    "app.launchURL(\"http://example.invalid/invoice\", true);"), asPackets);

            assertThat(evaluate(pdf, "form.pdf")).as("packets %s", asPackets).isEqualTo(RuleResult.stop("pdf_dropper",
                    Result.BAD, "The file is a PDF that runs XFA JavaScript when the form opens (event initialize:"
                            + " launchURL)"));
        }
        assertThat(evaluate(DropperPdfs.xfaForm(DropperPdfs.xfaEvent("docReady",
                "this.exportDataObject({cName: \"invoice.doc\", nLaunch: 2});"), true), "form.pdf").reason())
                .contains("event docready: exportDataObject");
        assertThat(evaluate(DropperPdfs.xfaForm(DropperPdfs.xfaEvent("ready",
                "eval(unescape(\"%61%70%70\"));"), false), "form.pdf").reason()).contains("eval(unescape");
        assertThat(evaluate(DropperPdfs.xfaForm(DropperPdfs.xfaEvent("initialize",
                "xfa.host.gotoURL(\"http://example.invalid/d\");"), true), "form.pdf").reason()).contains("gotoURL");
    }

    @Test
    void anXfaScriptWithASuspiciousCallIsBadOnAnyEvent() throws IOException {
        byte[] pdf = DropperPdfs.xfaForm(DropperPdfs.xfaEvent("click",
                "util.printf(\"%45000.45000f\", 0);"), true);

        assertThat(evaluate(pdf, "form.pdf").reason())
                .isEqualTo("The file is a PDF that has XFA JavaScript that calls util.printf heap spray");
        // A web page opened on a click is what help buttons do.
        assertThat(evaluate(DropperPdfs.xfaForm(DropperPdfs.xfaEvent("click",
                "xfa.host.gotoURL(\"https://example.invalid/help\");"), true), "form.pdf")).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void aBenignXfaFormGoesOn() throws IOException {
        assertThat(evaluate(DropperPdfs.benignXfaForm(), "form.pdf")).isEqualTo(NOTHING_FOUND);
    }

    @Test
    void anEncryptedPdfIsReadWithTheEmptyUserPassword() throws IOException {
        byte[] encrypted = DropperPdfs.encrypted(DropperPdfs.launch("cmd.exe", "/c calc"), "");

        assertThat(new String(encrypted, StandardCharsets.ISO_8859_1)).contains("/Encrypt").doesNotContain("cmd.exe");
        assertThat(evaluate(encrypted, "a.pdf").result()).isEqualTo(Result.BAD);
    }

    @Test
    void aPdfThatCannotBeReadGoesOn() throws IOException {
        byte[] pdf = DropperPdfs.plain();

        assertThat(evaluate(DropperPdfs.encrypted(pdf, "secret"), "a.pdf")).isEqualTo(UNREADABLE);
        assertThat(evaluate("%PDF-1.7\n1 0 obj <</Type /Catalog".getBytes(StandardCharsets.US_ASCII), "a.pdf"))
                .isEqualTo(UNREADABLE);
        byte[] garbage = Arrays.copyOf(pdf, pdf.length);
        Arrays.fill(garbage, 9, garbage.length, (byte) '(');
        assertThat(evaluate(garbage, "a.pdf")).isEqualTo(UNREADABLE);
    }

    @Test
    void aPdfIsKnownByItsHeaderWhateverItsName() throws IOException {
        byte[] pdf = DropperPdfs.launch("cmd.exe", "/c calc");
        byte[] prefixed = new byte[pdf.length + 600];
        Arrays.fill(prefixed, 0, 600, (byte) ' ');
        System.arraycopy(pdf, 0, prefixed, 600, pdf.length);

        assertThat(evaluate(pdf, "scan.dat").result()).isEqualTo(Result.BAD);
        assertThat(evaluate(prefixed, "scan.dat").result()).isEqualTo(Result.BAD);
        assertThat(evaluate("Just text".getBytes(StandardCharsets.US_ASCII), "a.pdf"))
                .isEqualTo(RuleResult.proceed("pdf_dropper", Result.UNKNOWN, "The file is no PDF"));
    }

    private RuleResult evaluate(byte[] content, String name) throws IOException {
        return rule.evaluate(TestSamples.context(new TestSamples(dir).sample(content, name, null),
                FakeFileTypeDetector.nothingDetected()));
    }
}
