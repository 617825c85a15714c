package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peekaboo.bench.DropperFiles;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class WindowsShortcutRuleTest {
    private static final byte[] LNK = DropperFiles.shortcut("..\\..\\Windows\\System32\\cmd.exe",
            "/c start http://example.invalid/x");

    private final WindowsShortcutRule rule = new WindowsShortcutRule();

    @TempDir
    Path dir;

    @Test
    void aShortcutIsBadWithWhatItRuns() throws IOException {
        assertThat(evaluate(LNK, "Invoice.pdf.lnk")).isEqualTo(RuleResult.stop("windows_shortcut", Result.BAD,
                "The file is a Windows shortcut: it runs a command when opened (target ..\\..\\Windows\\System32\\"
                        + "cmd.exe, arguments /c start http://example.invalid/x)"));
    }

    @Test
    void theHeaderGivesAShortcutAwayWhateverItsName() throws IOException {
        assertThat(evaluate(LNK, "scan.pdf").result()).isEqualTo(Result.BAD);
        assertThat(evaluate(LNK, null).result()).isEqualTo(Result.BAD);
    }

    @Test
    void aShortcutWithTargetListAndLinkInfoShowsItsLocalBasePath() throws IOException {
        byte[] header = Arrays.copyOf(LNK, 0x4C);
        header[0x14] = 0x03; // HasLinkTargetIDList, HasLinkInfo, ANSI strings
        byte[] idList = {4, 0, 0, 0, 0, 0}; // size 4: an empty item and the terminator
        byte[] path = "C:\\Windows\\System32\\mshta.exe\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] linkInfo = new byte[0x1C + path.length];
        linkInfo[0] = (byte) linkInfo.length;
        linkInfo[4] = 0x1C;
        linkInfo[8] = 0x01; // VolumeIDAndLocalBasePath
        linkInfo[0x10] = 0x1C; // LocalBasePathOffset
        System.arraycopy(path, 0, linkInfo, 0x1C, path.length);
        byte[] lnk = concat(header, Arrays.copyOf(idList, 6), linkInfo);

        assertThat(evaluate(lnk, "x.lnk").reason()).endsWith("(target C:\\Windows\\System32\\mshta.exe)");
    }

    @Test
    void aTruncatedShortcutIsStillAShortcut() throws IOException {
        assertThat(evaluate(Arrays.copyOf(LNK, 0x50), "a.lnk").reason())
                .isEqualTo("The file is a Windows shortcut: it runs a command when opened");
    }

    @Test
    void anInternetShortcutToAFileOrSearchIsBad() throws IOException {
        String toFile = "[InternetShortcut]\r\nURL=file://example.invalid/s/invoice.exe\r\nIconIndex=3\r\n";
        String toSearch = "\uFEFF[InternetShortcut]\nURL=search-ms:query=invoice&crumb=location:\\\\example.invalid\\s\n";

        assertThat(evaluate(toFile, "invoice.url")).isEqualTo(RuleResult.stop("windows_shortcut", Result.BAD,
                "The file is an Internet shortcut to file://example.invalid/s/invoice.exe: it opens a file, share or"
                        + " search, not a web page"));
        assertThat(evaluate(toSearch, "invoice.txt").result()).isEqualTo(Result.BAD);
    }

    @Test
    void anInternetShortcutToAWebPageGoesOn() throws IOException {
        assertThat(evaluate("[InternetShortcut]\r\nURL=https://www.example.org/agenda\r\n", "Agenda.url")
                .furtherAnalysis()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.library-ms", "x.search-ms", "x.searchConnector-ms", "desktop.scf"})
    void shellFilesThatReachOutAreBad(String name) throws IOException {
        assertThat(evaluate("<?xml version=\"1.0\"?><libraryDescription/>", name).reason())
                .startsWith("The file is a Windows ").endsWith(": Windows Explorer fetches what it names when it is"
                        + " opened");
    }

    @Test
    void otherFilesGoOn() throws IOException {
        byte[] almost = LNK.clone();
        almost[19] = 0x47;
        RuleResult noShortcut = RuleResult.proceed("windows_shortcut", Result.UNKNOWN, "The file is no Windows shortcut");

        assertThat(evaluate(almost, "a.bin")).isEqualTo(noShortcut);
        assertThat(evaluate("L\0\0\0 plain text after an L", "notes.txt")).isEqualTo(noShortcut);
        assertThat(evaluate("[Desktop Entry]\nURL=file:///x\n", "link.desktop")).isEqualTo(noShortcut);
        assertThat(evaluate("", "empty")).isEqualTo(noShortcut);
    }

    private RuleResult evaluate(String content, String name) throws IOException {
        return evaluate(content.getBytes(StandardCharsets.UTF_8), name);
    }

    private RuleResult evaluate(byte[] content, String name) throws IOException {
        return rule.evaluate(TestSamples.context(new TestSamples(dir).sample(content, name, null),
                FakeFileTypeDetector.nothingDetected()));
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
