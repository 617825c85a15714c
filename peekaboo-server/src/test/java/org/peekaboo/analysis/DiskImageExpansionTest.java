package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.analysis.testing.InMemoryAnalysisStore;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Expander;
import org.peekaboo.expansion.OneNoteFixtures;
import org.peekaboo.expansion.testing.DiskImages;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.ruleset.DefaultRuleset;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;

/** The built-in ruleset on disk images: droppers are bad by disk_image, other images are opened. */
class DiskImageExpansionTest {
    private static final byte[] PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
            + "%%EOF\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    @TempDir
    Path spoolParent;

    private final InMemoryAnalysisStore store = new InMemoryAnalysisStore();
    private final List<AnalysisEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(AnalysisEngine::close);
    }

    @Test
    void anIsoWithAShortcutAndAHiddenDllIsBadWithoutBeingOpened() throws Exception {
        Path iso = write("d001", DiskImages.iso(files("Invoice.lnk", DiskImages.fakeShortcut(), "data/update.dll",
                DiskImages.fakeProgram()), true));

        JudgedSample judged = judge(declared(iso, "Invoice.iso"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("disk_image");
        assertThat(judged.verdict().reason()).contains("\"Invoice.lnk\"", "\"data/update.dll\"");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void imagesOfDocumentsAreOpenedAndTheirFilesJudged() throws Exception {
        Map<String, byte[]> documents = files("Manual/Getting started.pdf", PDF, "Manual/logo.png",
                OneNoteFixtures.png());
        List<byte[]> images = List.of(DiskImages.iso(documents, true), DiskImages.fat12(documents),
                DiskImages.mbrDisk(DiskImages.fat12(documents)), DiskImages.fixedVhd(DiskImages.fat12(documents)),
                DiskImages.dynamicVhd(DiskImages.mbrDisk(DiskImages.fat12(documents)), 64 * 1024));
        for (int i = 0; i < images.size(); i++) {
            Path image = write("b00" + i, images.get(i));

            JudgedSample judged = judge(declared(image, "manual.img"));

            assertThat(judged.verdict().result()).as(judged.toString()).isNotEqualTo(Result.BAD);
            assertThat(judged.members()).as(judged.toString()).extracting(member -> member.sample().declaredPath())
                    .containsExactly("manual.img/Manual/Getting started.pdf", "manual.img/Manual/logo.png");
        }
        assertThat(spoolFiles()).isEmpty();
    }

    private static Map<String, byte[]> files(Object... pathsAndBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndBytes.length; i += 2) {
            files.put((String) pathsAndBytes[i], (byte[]) pathsAndBytes[i + 1]);
        }
        return files;
    }

    private JudgedSample judge(SampleDeclaration file) throws Exception {
        SampleSpool spool = SampleSpool.under(spoolParent);
        SampleReader reader = new SampleReader(LibcFiles.load(), spool, AnalysisSettings.DEFAULT_MAX_SAMPLE_SIZE);
        AnalysisEngine engine = new AnalysisEngine(
                DefaultRuleset.create(store, new TikaFileTypeDetector(), OleReportSource.withDefaultLimits()), store,
                new FakeSampleLocks("this-instance"), reader, AllowedDirectories.of(List.of(dir)),
                new Expander(ExpansionSettings.defaults(), spool), new AnalysisSettings(2), ClusterSettings.defaults(),
                Clock.systemUTC());
        engines.add(engine);
        return engine.start(List.of(file), Duration.ofMinutes(5)).done().get(60, TimeUnit.SECONDS).getFirst();
    }

    private static SampleDeclaration declared(Path file, String name) {
        return new SampleDeclaration(file.toString(), name, null, "attachment");
    }

    private List<Path> spoolFiles() throws Exception {
        try (Stream<Path> files = Files.walk(spoolParent)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
