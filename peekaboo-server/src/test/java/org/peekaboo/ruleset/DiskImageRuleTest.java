package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.expansion.testing.DiskImages;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class DiskImageRuleTest {
    private static final byte[] PDF = "%PDF-1.4\n% a benign document\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0};

    private final DiskImageRule rule = new DiskImageRule();

    @TempDir
    Path dir;

    @Test
    void anIsoWithAShortcutAndAHiddenDllIsBad() throws IOException {
        byte[] iso = DiskImages.iso(files("Invoice.lnk", DiskImages.fakeShortcut(), "bin/helper.dll",
                DiskImages.fakeProgram()), true);

        assertThat(evaluate(iso, "Invoice_2024.iso")).isEqualTo(RuleResult.stop("disk_image", Result.BAD,
                "The file is an ISO 9660 image carrying what Windows runs from the mounted image: \"Invoice.lnk\""
                        + " (a Windows shortcut), \"bin/helper.dll\" (a program)"));
    }

    @Test
    void anIsoWithAScriptIsBadWhateverItsName() throws IOException {
        byte[] iso = DiskImages.iso(files("docs/readme.js", "WScript.Echo(1)".getBytes(StandardCharsets.US_ASCII)),
                true);

        RuleResult result = evaluate(iso, "scan.pdf");

        assertThat(result.result()).isEqualTo(Result.BAD);
        assertThat(result.reason()).contains("\"docs/readme.js\" (a JScript file)");
    }

    @Test
    void aProgramIsKnownByItsHeaderUnderAnyName() throws IOException {
        byte[] img = DiskImages.fat12(files("Holiday photo.jpg", DiskImages.fakeProgram()));

        RuleResult result = evaluate(img, "photos.img");

        assertThat(result.result()).isEqualTo(Result.BAD);
        assertThat(result.reason()).startsWith("The file is a FAT image").contains(
                "\"Holiday photo.jpg\" (a program (MZ header))");
    }

    @Test
    void aShortcutIsKnownByItsHeaderUnderAnyName() throws IOException {
        byte[] iso = DiskImages.iso(files("readme.txt", DiskImages.fakeShortcut()), false);

        assertThat(evaluate(iso, "a.iso").reason()).endsWith("\"README.TXT\" (a Windows shortcut)");
    }

    @Test
    void aVhdWithAShortcutIsBad() throws IOException {
        byte[] vhd = DiskImages.dynamicVhd(DiskImages.mbrDisk(DiskImages.fat12(files("Open me.lnk",
                DiskImages.fakeShortcut()))), 64 * 1024);

        RuleResult result = evaluate(vhd, null);

        assertThat(result.result()).isEqualTo(Result.BAD);
        assertThat(result.reason()).startsWith("The file is a VHD image").contains("\"Open me.lnk\"");
    }

    @Test
    void onlyTheFirstFewAreNamed() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            files.put("tool" + i + ".exe", DiskImages.fakeProgram());
        }

        assertThat(evaluate(DiskImages.iso(files, true), "a.iso").reason()).endsWith("\"tool3.exe\" (a program) and 2 more");
    }

    @Test
    void anImageOfDocumentsAndPicturesGoesOn() throws IOException {
        byte[] iso = DiskImages.iso(files("Report.pdf", PDF, "pictures/team.png", PNG), true);

        assertThat(evaluate(iso, "report.iso")).isEqualTo(RuleResult.proceed("disk_image", Result.UNKNOWN,
                "The file is an ISO 9660 image of 2 files, none a shortcut, program or script"));
    }

    @Test
    void anImageThatCannotBeListedGetsUnreadableResult() throws IOException {
        byte[] vhdx = Arrays.copyOf("vhdxfile".getBytes(StandardCharsets.US_ASCII), 8192);
        byte[] damaged = DiskImages.fat12WithChainLoop(files("big.pdf", Arrays.copyOf(PDF, 4000)));

        RuleResult strict = evaluate(vhdx, "disk.vhdx");
        RuleResult lenient = new DiskImageRule(Result.IGNORED).evaluate(context(damaged, "disk.img"));

        assertThat(strict).isEqualTo(RuleResult.stop("disk_image", Result.BAD, "The file is a VHDX image Peekaboo"
                + " cannot list completely (Peekaboo cannot read VHDX images); Windows mounts disk images on a"
                + " double-click and mail hardly ever carries them"));
        assertThat(lenient.result()).isEqualTo(Result.IGNORED);
        assertThat(lenient.reason()).contains("loops");
        assertThat(lenient.furtherAnalysis()).isTrue();
    }

    @Test
    void aFileNamedAsAnImageThatIsNoneCannotBeListed() throws IOException {
        byte[] noise = new byte[70_000];
        new Random(7).nextBytes(noise);

        RuleResult result = evaluate(noise, "setup.iso");

        assertThat(result.result()).isEqualTo(Result.BAD);
        assertThat(result.reason()).startsWith("The file is named or typed as a disk image Peekaboo cannot list");
    }

    @Test
    void otherFilesAreNoDiskImages() throws IOException {
        assertThat(evaluate(PDF, "report.pdf")).isEqualTo(RuleResult.proceed("disk_image", Result.UNKNOWN,
                "The file is no disk image"));
        assertThat(evaluate(DiskImages.fakeProgram(), "tool.exe").result()).isEqualTo(Result.UNKNOWN);
    }

    private static Map<String, byte[]> files(Object... pathsAndBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndBytes.length; i += 2) {
            files.put((String) pathsAndBytes[i], (byte[]) pathsAndBytes[i + 1]);
        }
        return files;
    }

    private RuleResult evaluate(byte[] content, String name) throws IOException {
        return rule.evaluate(context(content, name));
    }

    private SampleContext context(byte[] content, String name) throws IOException {
        return TestSamples.context(new TestSamples(dir).sample(content, name, null),
                FakeFileTypeDetector.nothingDetected());
    }
}
