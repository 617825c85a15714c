package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.peekaboo.office.OleReportSource;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.ruleset.DefaultRuleset;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;

/** The built-in ruleset on OneNote sections: the files embedded in them are judged like attachments. */
class OneNoteExpansionTest {
    private static final String HTA = "<html><head><hta:application id=\"x\"/><script language=\"VBScript\">"
            + "CreateObject(\"WScript.Shell\").Run \"cmd /c echo example.invalid\"</script></head></html>";

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
    void aSectionHidingAnHtaBehindAPictureIsBad() throws Exception {
        Path one = write("p001", OneNoteFixtures.section().name("image1.png").name("Invoice.hta")
                .file(OneNoteFixtures.png()).file(HTA.getBytes(StandardCharsets.UTF_8)).bytes());

        JudgedSample judged = judge(declared(one, "Invoice.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("script_attachment");
        assertThat(judged.decidingMember()).isEqualTo("Invoice.one/Invoice.hta");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aSectionWithABatchFileIsBad() throws Exception {
        Path one = write("p002", OneNoteFixtures.section().name("open.bat")
                .file("@echo off\r\necho example.invalid\r\n".getBytes(StandardCharsets.US_ASCII)).bytes());

        JudgedSample judged = judge(declared(one, "Scan.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.decidingMember()).isEqualTo("Scan.one/open.bat");
    }

    @Test
    void aSectionWithAPictureAndATextFileIsNotBad() throws Exception {
        Path one = write("p003", OneNoteFixtures.section().name("image1.png").name("minutes.txt")
                .file(OneNoteFixtures.png()).file("Minutes of the meeting.".getBytes(StandardCharsets.US_ASCII))
                .bytes());

        JudgedSample judged = judge(declared(one, "Meeting.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isNotEqualTo(Result.BAD);
        assertThat(judged.members()).hasSize(2);
    }

    @Test
    void aBatchFileWhoseNameWasNotFoundIsBadByItsType() throws Exception {
        Path one = write("p004", OneNoteFixtures.section()
                .file(OneNoteFixtures.png()).file("@echo off\r\necho example.invalid\r\n".getBytes(StandardCharsets.US_ASCII))
                .bytes());

        JudgedSample judged = judge(declared(one, "Invoice.one"));

        assertThat(judged.verdict().result()).as(judged.toString()).isEqualTo(Result.BAD);
        assertThat(judged.verdict().rule()).isEqualTo("script_attachment");
        assertThat(judged.decidingMember()).isEqualTo("Invoice.one/part 2");
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
