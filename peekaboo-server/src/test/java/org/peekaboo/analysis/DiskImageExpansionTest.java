package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.ExpansionEngines.declared;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.ExpansionEngines;
import org.peekaboo.expansion.OneNoteFixtures;
import org.peekaboo.expansion.testing.DiskImages;
import org.peekaboo.verdict.Result;

/** The built-in ruleset on disk images: droppers are bad by disk_image, other images are opened. */
class DiskImageExpansionTest {
    private static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
            + "%%EOF\n").getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    final ExpansionEngines engines = new ExpansionEngines();

    @Test
    void anIsoWithAShortcutAndAHiddenDllIsBadWithoutBeingOpened() throws Exception {
        Path iso = engines.write("d001", DiskImages.iso(files("Invoice.lnk", DiskImages.fakeShortcut(), "data/update.dll",
                DiskImages.fakeProgram()), true));

        JudgedSample judged = engines.judge(declared(iso, "Invoice.iso"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("disk_image");
        assertThat(judged.verdict().reason()).contains("\"Invoice.lnk\"", "\"data/update.dll\"");
        assertThat(engines.spoolFiles()).isEmpty();
    }

    @Test
    void imagesOfDocumentsAreOpenedAndTheirFilesJudged() throws Exception {
        Map<String, byte[]> documents = files("Manual/Getting started.pdf", PDF, "Manual/logo.png",
                OneNoteFixtures.png());
        List<byte[]> images = List.of(DiskImages.iso(documents, true), DiskImages.fat12(documents),
                DiskImages.mbrDisk(DiskImages.fat12(documents)), DiskImages.fixedVhd(DiskImages.fat12(documents)),
                DiskImages.dynamicVhd(DiskImages.mbrDisk(DiskImages.fat12(documents)), 64 * 1024));
        for (int i = 0; i < images.size(); i++) {
            Path image = engines.write("b00" + i, images.get(i));

            JudgedSample judged = engines.judge(declared(image, "manual.img"));

            assertThat(judged.verdict().result()).as(judged.toString()).isNotEqualTo(Result.BAD);
            assertThat(judged.members()).as(judged.toString()).extracting(member -> member.sample().declaredPath())
                    .containsExactly("manual.img/Manual/Getting started.pdf", "manual.img/Manual/logo.png");
        }
        assertThat(engines.spoolFiles()).isEmpty();
    }

    private static Map<String, byte[]> files(Object... pathsAndBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndBytes.length; i += 2) {
            files.put((String) pathsAndBytes[i], (byte[]) pathsAndBytes[i + 1]);
        }
        return files;
    }
}
