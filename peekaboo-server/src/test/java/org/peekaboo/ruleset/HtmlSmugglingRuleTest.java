package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.bench.DropperFiles;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class HtmlSmugglingRuleTest {
    private static final FileTypeDetector NOTHING = FakeFileTypeDetector.nothingDetected();
    private static final RuleResult NO_DOWNLOAD = RuleResult.proceed("html_smuggling", Result.UNKNOWN,
            "The HTML file assembles no download");

    private final HtmlSmugglingRule rule = new HtmlSmugglingRule();

    @TempDir
    Path dir;

    @Test
    void aPageThatDecodesABlobAndClicksItsDownloadIsBad() throws IOException {
        assertThat(evaluate(DropperFiles.blobSmuggling(), "Secure_Message.html", "text/html", NOTHING))
                .isEqualTo(RuleResult.stop("html_smuggling", Result.BAD, "The file is an HTML page that smuggles a"
                        + " file: its script decodes data (atob(), makes a file of it (Uint8Array) and hands it to"
                        + " the browser (createObjectURL, .download =)"));
    }

    @Test
    void aDataUrlOfAZipWithADownloadAttributeIsBad() throws IOException {
        assertThat(evaluate(DropperFiles.dataUrlSmuggling(), "scan.htm", null, NOTHING).reason())
                .isEqualTo("The file is an HTML page that smuggles a file: it offers a file carried in a data: URL"
                        + " (data:application/zip;) for download (<a id=\"f\" download)");
    }

    @Test
    void aDownloadAttributeFirstInTheLinkCounts() throws IOException {
        String page = "<HTML><BODY><A DOWNLOAD=\"x.iso\" HREF=\"data:application/octet-stream;base64,AAAA\">x</A>";

        assertThat(evaluate(page, "x.html", null, NOTHING).reason()).endsWith(
                "(data:application/octet-stream;) for download (<A DOWNLOAD)");
    }

    @Test
    void msSaveOrOpenBlobIsADownloadByItself() throws IOException {
        assertThat(evaluate(DropperFiles.msSaveSmuggling(), "invoice.htm", null, NOTHING).reason())
                .endsWith("hands it to the browser (msSaveOrOpenBlob)");
    }

    @Test
    void anSvgImageSmugglesLikeAPage() throws IOException {
        assertThat(evaluate(DropperFiles.svgSmuggling(), "voicemail.svg", "image/svg+xml", NOTHING).result())
                .isEqualTo(Result.BAD);
    }

    @Test
    void aLargeDecodedPayloadInAScriptIsEnoughWithoutTheUsualHandOver() throws IOException {
        String payload = Base64.getEncoder().encodeToString(new byte[12 * 1024]);
        String page = "<html><script>var p = '" + payload + "'; var f = new File([atob(p)], 'a.zip');"
                + " window.open(f);</script></html>";

        assertThat(evaluate(page, null, null, FakeFileTypeDetector.reporting("text/html", null)).reason())
                .isEqualTo("The file is an HTML page that smuggles a file: its script decodes (atob() a base64 payload"
                        + " of 12 KiB and makes a file of it (new File()");
    }

    @Test
    void ordinaryPagesGoOn() throws IOException {
        String newsletter = """
                <!DOCTYPE html><html><head><style>body{font:14px sans-serif}</style>
                <script>document.addEventListener('DOMContentLoaded', () => track('open'));</script></head>
                <body><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"/>
                <p>Our price list: <a href="https://www.example.org/prices.pdf" download>prices.pdf</a></p>
                <button onclick="document.getElementById('more').click()">More</button></body></html>
                """;
        // A saved web app that exports its table: a Blob and a download, but nothing decoded or embedded.
        String export = """
                <html><body><table id="t"></table><script>
                function exportCsv() {
                  const blob = new Blob([toCsv(document.getElementById('t'))], {type: 'text/csv'});
                  const a = document.createElement('a');
                  a.href = URL.createObjectURL(blob); a.download = 'table.csv'; a.click();
                }
                </script></body></html>
                """;
        String decodesOnly = "<html><script>var name = atob('SGVsbG8='); document.title = name;</script></html>";

        assertThat(evaluate(newsletter, "newsletter.html", "text/html", NOTHING)).isEqualTo(NO_DOWNLOAD);
        assertThat(evaluate(export, "report.html", "text/html", NOTHING)).isEqualTo(NO_DOWNLOAD);
        assertThat(evaluate(decodesOnly, "hello.html", null, NOTHING)).isEqualTo(NO_DOWNLOAD);
        assertThat(evaluate("<svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>", "dot.svg", null,
                NOTHING)).isEqualTo(NO_DOWNLOAD);
    }

    @Test
    void filesThatAreNoHtmlAreNotRead() throws IOException {
        assertThat(evaluate(DropperFiles.blobSmuggling(), "notes.txt", "text/plain", NOTHING))
                .isEqualTo(RuleResult.proceed("html_smuggling", Result.UNKNOWN, "The file is no HTML or SVG file"));
    }

    private RuleResult evaluate(String content, String name, String type, FileTypeDetector detector)
            throws IOException {
        return rule.evaluate(TestSamples.context(new TestSamples(dir).sample(content, name, type), detector));
    }
}
