package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.expansion.testing.RarFiles;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class RarArchiveRuleTest {
    private final RarArchiveRule rule = new RarArchiveRule();

    @TempDir
    Path dir;

    @Test
    void aRarCarryingAScriptIsBadNamingIt() throws IOException {
        assertThat(evaluate(RarFiles.rar5("Rechnung/", "", "Rechnung/Rechnung_2026.pdf.js", "var s;"), "r.rar"))
                .isEqualTo(RuleResult.stop("rar_archive", Result.BAD, "The file is a RAR archive that carries"
                        + " \"Rechnung/Rechnung_2026.pdf.js\": a program, script, shortcut or disk image by its name"));
    }

    @Test
    void programsShortcutsAndDiskImagesInEitherVersionAreBadWhateverTheArchiveIsCalled() throws IOException {
        assertThat(evaluate(RarFiles.rar4("invoice.exe", "MZ"), "invoice.pdf").result()).isEqualTo(Result.BAD);
        assertThat(evaluate(RarFiles.rar4("docs\\scan.LNK", "L"), null).result()).isEqualTo(Result.BAD);
        assertThat(evaluate(RarFiles.rar5("order.iso", ""), "order.rar").result()).isEqualTo(Result.BAD);
        assertThat(evaluate(RarFiles.rar5("setup.exe. . ", "MZ"), "x.rar").result()).isEqualTo(Result.BAD);
    }

    @Test
    void manyRunnableFilesAreCountedNotAllNamed() throws IOException {
        RuleResult result = evaluate(RarFiles.rar5("a.exe", "", "b.dll", "", "c.js", "", "d.vbs", "", "e.bat", ""),
                "x.rar");

        assertThat(result.reason()).contains("\"a.exe\", \"b.dll\", \"c.js\" and 2 more");
    }

    @Test
    void documentsAndPicturesGoOnSayingTheyWereNotUnpacked() throws IOException {
        RuleResult result = evaluate(RarFiles.rar5("photos/", "", "photos/beach.jpg", "JFIF", "report.pdf", "%PDF"),
                "holiday.rar");

        assertThat(result).isEqualTo(RuleResult.proceed("rar_archive", Result.UNKNOWN, "The RAR archive carries no"
                + " program, script or shortcut by name; its files cannot be unpacked and are not judged themselves"));
    }

    @Test
    void encryptedNamesGoOnAsEncryptedArchivesDo() throws IOException {
        assertThat(evaluate(RarFiles.rar5EncryptedHeaders(), "secret.rar")).isEqualTo(RuleResult.proceed(
                "rar_archive", Result.UNKNOWN, "The RAR archive encrypts its file names: they cannot be checked"));
    }

    @Test
    void aDirectoryNamedLikeAProgramIsNoProgram() throws IOException {
        assertThat(evaluate(RarFiles.rar5("tools.exe/", "", "tools.exe/readme.txt", "x"), "t.rar").result())
                .isEqualTo(Result.UNKNOWN);
    }

    @Test
    void otherFilesAreNoRar() throws IOException {
        assertThat(evaluate("Rar? no: a text that names invoice.exe".getBytes(StandardCharsets.US_ASCII), "a.rar"))
                .isEqualTo(RuleResult.proceed("rar_archive", Result.UNKNOWN, "The file is no RAR archive"));
    }

    private RuleResult evaluate(byte[] content, String name) throws IOException {
        return rule.evaluate(TestSamples.context(new TestSamples(dir).sample(content, name, null),
                FakeFileTypeDetector.reporting("application/x-rar", "application/x-rar")));
    }
}
