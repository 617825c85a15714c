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
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Expander;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.ruleset.DefaultRuleset;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;

/** The built-in ruleset on PDFs: the files attached to them are judged like the members of a zip. */
class PdfExpansionTest {
    private static final byte[] JSCRIPT = "var sh = new ActiveXObject(\"WScript.Shell\");\r\n"
            .concat("sh.Run(\"cmd /c echo example.invalid\", 0);\r\n").getBytes(StandardCharsets.US_ASCII);

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
    void aMacroDropperAttachedToAPdfIsBadByTheMacroRules() throws Exception {
        Path pdf = write("p001", DropperPdfs.attachments(Map.of("Bestellung.doc", DropperPdfs.wordDropper(true))));

        JudgedSample judged = judge(declared(pdf, "Bestellung.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("office_macro_dropper");
        assertThat(judged.decidingMember()).isEqualTo("Bestellung.pdf/Bestellung.doc");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aScriptInAZipAttachedToAPdfIsBad() throws Exception {
        Path pdf = write("p002", DropperPdfs.attachments(Map.of("Rechnung.zip", DropperPdfs.zip("Rechnung.js", JSCRIPT))));

        JudgedSample judged = judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("script_attachment");
        assertThat(judged.decidingMember()).isEqualTo("Rechnung.pdf/Rechnung.zip/Rechnung.js");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aPdfInAPdfIsOpenedInTurn() throws Exception {
        byte[] inner = DropperPdfs.attachments(Map.of("Rechnung.zip", DropperPdfs.zip("Rechnung.js", JSCRIPT)));
        Path pdf = write("p003", DropperPdfs.attachments(Map.of("Anlage.pdf", inner)));

        JudgedSample judged = judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).isEqualTo("Rechnung.pdf/Anlage.pdf/Rechnung.zip/Rechnung.js");
    }

    @Test
    void harmlessAttachmentsAreNotBad() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("Protokoll.txt", "Protokoll der Sitzung.".getBytes(StandardCharsets.UTF_8));
        files.put("Zahlen.csv", "Monat;Betrag\nOktober;1200\n".getBytes(StandardCharsets.UTF_8));
        Path pdf = write("p004", DropperPdfs.attachments(files));

        JudgedSample judged = judge(declared(pdf, "Protokoll.pdf"));

        assertThat(judged.verdict().result()).as(judged.toString()).isNotEqualTo(Result.BAD);
        assertThat(judged.members()).hasSize(2);
        assertThat(judge(declared(write("p005", DropperPdfs.plain()), "Brief.pdf")).members()).isEmpty();
    }

    @Test
    void aPdfFoundBadByItsOwnRulesIsNotOpened() throws Exception {
        Path pdf = write("p006", DropperPdfs.attachmentAnnotation("Rechnung.js", JSCRIPT));

        JudgedSample judged = judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("pdf_dropper");
        assertThat(judged.members()).isEmpty();
    }

    @Test
    void aPdfEncryptedWithAPasswordIsReportedEncrypted() throws Exception {
        Path pdf = write("p007", DropperPdfs.encrypted(DropperPdfs.attachments(Map.of("Rechnung.zip",
                DropperPdfs.zip("Rechnung.js", JSCRIPT))), "Geheim-2026"));

        JudgedSample judged = judge(declared(pdf, "Rechnung.pdf"));

        assertThat(judged.members()).isEmpty();
        assertThat(judged.verdict().report().toString()).contains("Encrypted");
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
