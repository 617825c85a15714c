package org.peekaboo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.poifs.macros.VBAMacroReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.DiskImageRule;
import org.peekaboo.ruleset.PdfDropperRule;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class DropperCorpusTest {

    @TempDir
    Path dir;

    @Test
    void writesMaliciousAndBenignMacroDocumentsInEveryFormat() throws IOException {
        List<Path> written = DropperCorpus.write(dir, DropperCorpus.DEFAULT_SEED);

        List<Path> malicious = list(dir.resolve("malicious"));
        List<Path> benign = list(dir.resolve("benign-macros"));
        List<Path> benignImages = list(dir.resolve(DropperDiskImages.BENIGN));
        assertThat(written).hasSize(malicious.size() + benign.size() + benignImages.size());
        assertThat(extensions(benignImages)).containsExactlyInAnyOrder("iso", "img");
        assertThat(malicious).hasSizeGreaterThanOrEqualTo(40);
        assertThat(benign).hasSizeGreaterThanOrEqualTo(20);
        assertThat(extensions(malicious)).containsExactlyInAnyOrder("doc", "docm", "xls", "xlsm", "slk", "js", "vbs",
                "hta", "ps1", "cmd", "wsf", "url", "lnk", "pdf", "html", "htm", "svg", "one", "rtf", "xlsb", "iso",
                "img", "vhd", "ppt", "pps");
        assertThat(extensions(benign)).containsExactlyInAnyOrder("doc", "docm", "xls", "xlsm", "rtf", "pdf", "xlsb", "ppt",
                "pps");
        assertThat(written).allSatisfy(path -> assertThat(Files.size(path)).isGreaterThan(100));
    }

    @Test
    void encryptedWorkbooksAreEncrypted() throws IOException {
        List<DropperCorpus.Sample> encrypted = DropperCorpus.encrypted();

        assertThat(encrypted).extracting(DropperCorpus.Sample::directory).containsOnly("malicious", "benign-macros");
        assertThat(encrypted).filteredOn(sample -> sample.directory().equals("malicious")).hasSize(3);
        for (DropperCorpus.Sample sample : encrypted) {
            try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(sample.bytes()))) {
                boolean ooxml = fs.getRoot().hasEntryCaseInsensitive("EncryptedPackage");
                byte[] workbook = ooxml ? new byte[0] : fs.createDocumentInputStream("Workbook").readNBytes(24);
                // An encrypted .xls names its cipher in the FILEPASS record right after the BOF.
                assertThat(ooxml || (workbook[20] == 0x2F && workbook[21] == 0)).as(sample.name()).isTrue();
            }
        }
    }

    @Test
    void coversEveryTriggerAndPayload() {
        List<String> names = DropperCorpus.samples(DropperCorpus.DEFAULT_SEED).stream()
                .filter(sample -> sample.directory().equals("malicious")).map(DropperCorpus.Sample::name).toList();

        for (DropperMacros.Trigger trigger : DropperMacros.TRIGGERS) {
            for (DropperMacros.Payload payload : DropperMacros.payloads()) {
                assertThat(names).anyMatch(name -> name.contains("-" + trigger.tag() + "-" + payload.tag() + "."));
            }
        }
        assertThat(names).anyMatch(name -> name.contains("xlm-exec.xlsm")).anyMatch(name -> name.endsWith(".xls")
                && name.contains("xlm"));
    }

    @Test
    void theSameSeedGivesTheSameSources() throws IOException {
        assertThat(sources(DropperCorpus.DEFAULT_SEED)).isEqualTo(sources(DropperCorpus.DEFAULT_SEED));
        assertThat(sources(DropperCorpus.DEFAULT_SEED)).isNotEqualTo(sources(DropperCorpus.DEFAULT_SEED + 1));
    }

    @Test
    void aDropperIsARealVbaProjectWithItsTriggerAndCalls() throws IOException {
        DropperCorpus.Sample sample = DropperCorpus.samples(DropperCorpus.DEFAULT_SEED).stream()
                .filter(s -> s.name().contains("document-open-xmlhttp-adodb")).findFirst().orElseThrow();

        String source = String.join("\n", macros(sample.bytes()).values()).toLowerCase(Locale.ROOT);

        assertThat(source).contains("sub document_open()", "msxml2.xmlhttp", "adodb.stream", "savetofile");
    }

    @Test
    void benignMacrosHaveNoDownloadOrExecution() throws IOException {
        for (DropperCorpus.Sample sample : DropperCorpus.benignMacros()) {
            String source = String.join("\n", macros(sample.bytes()).values()).toLowerCase(Locale.ROOT);
            assertThat(source).as(sample.name()).contains("attribute vb_name")
                    .doesNotContain("shell", "createobject", "http", "urldownloadtofile", "powershell");
        }
    }

    @Test
    void theOtherDroppersAreScriptsShortcutsAndSmugglingPages() {
        List<DropperCorpus.Sample> files = DropperFiles.malicious(1);
        Map<String, String> texts = files.stream().collect(Collectors.toMap(
                sample -> sample.name().replaceAll("^\\d+-", ""),
                sample -> new String(sample.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)));

        assertThat(texts.get("script-wscript-shell.js")).contains("WScript.Shell", "example.invalid");
        assertThat(texts.get("shortcut-cmd.lnk")).startsWith("L\0\0\0\u0001\u0014\u0002\0");
        assertThat(texts.get("smuggling-blob-download.html")).contains("atob(", "new Blob(", "createObjectURL",
                ".download =");
        assertThat(texts.get("smuggling-data-url.html")).contains("download=", "data:application/zip;base64,UEsDB");
        assertThat(texts.get("smuggling-mssaveoropenblob.htm")).contains("msSaveOrOpenBlob");
        assertThat(texts.get("smuggling-image.svg")).startsWith("<?xml").contains("<svg", "createObjectURL");
        // Only example.invalid is ever named (and XML namespaces): nothing here reaches a real host.
        assertThat(texts.values()).allSatisfy(text -> assertThat(text.replaceAll(
                        "http://(example\\.invalid|www\\.w3\\.org)", ""))
                .doesNotContain("http://", "https://"));
    }

    @Test
    void thePdfDroppersLaunchRunScriptsOrCarryPrograms() throws IOException {
        PdfDropperRule rule = new PdfDropperRule();
        Map<String, String> reasons = new java.util.TreeMap<>();
        for (DropperCorpus.Sample sample : DropperPdfs.malicious(1)) {
            assertThat(new String(sample.bytes(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
            reasons.put(sample.name().replaceAll("^\\d+-", ""), rule.evaluate(TestSamples.context(
                    new TestSamples(dir).sample(sample.bytes(), sample.name(), null),
                    FakeFileTypeDetector.nothingDetected())).reason());
        }

        assertThat(reasons).hasSize(8);
        assertThat(reasons.get("pdf-launch-cmd.pdf")).contains("/Launch action (\"cmd.exe\")");
        assertThat(reasons.get("pdf-openaction-javascript.pdf")).contains("when the document opens (launchURL)");
        assertThat(reasons.get("pdf-embedded-exe-export.pdf")).contains("exportDataObject", "\"invoice.exe\"");
        assertThat(reasons.get("pdf-attachment-js.pdf")).contains("\"Rechnung.js\", a program or script");
        assertThat(reasons.get("pdf-attachment-docm-dropper.pdf")).contains("\"Bestellung.docm\", a program or script");
        assertThat(reasons.get("pdf-xfa-initialize-launchurl.pdf")).contains("XFA JavaScript when the form opens",
                "launchURL");
        // These two are bad by their members, which the rule does not judge (see PdfExpansionTest).
        assertThat(reasons.get("pdf-attachment-doc-dropper.pdf")).isEqualTo("The PDF runs and carries nothing suspicious");
        assertThat(reasons.get("pdf-attachment-zip-js.pdf")).isEqualTo("The PDF runs and carries nothing suspicious");
    }

    @Test
    void theOneNoteDroppersEmbedAScriptBehindAPicture() {
        List<DropperCorpus.Sample> sections = DropperOneNote.malicious();

        assertThat(sections).hasSize(2).allSatisfy(sample -> {
            String text = new String(sample.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            // The section header GUID {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}, little-endian, and a PNG picture.
            assertThat(text).startsWith("\u00E4R\\{\u008C\u00D8\u00A7M").contains("\u0089PNG", "example.invalid");
        });
    }

    @Test
    void theDiskImageDroppersAreBadAndTheBenignImagesGoOn() throws IOException {
        DiskImageRule rule = new DiskImageRule();
        for (DropperCorpus.Sample sample : DropperDiskImages.samples()) {
            RuleResult result = rule.evaluate(TestSamples.context(new TestSamples(dir).sample(sample.bytes(),
                    sample.name(), null), FakeFileTypeDetector.nothingDetected()));
            assertThat(result.result()).as(sample.name() + ": " + result.reason())
                    .isEqualTo(sample.directory().equals("malicious") ? Result.BAD : Result.UNKNOWN);
        }
    }

    private static Map<String, String> macros(byte[] document) throws IOException {
        try (VBAMacroReader reader = new VBAMacroReader(new ByteArrayInputStream(document))) {
            return reader.readMacros();
        }
    }

    private static String sources(long seed) throws IOException {
        StringBuilder all = new StringBuilder();
        for (DropperCorpus.Sample sample : DropperCorpus.malicious(new java.util.Random(seed))) {
            if (!sample.name().contains("xlm") && sample.name().matches(".*\\.(doc|docm|xls|xlsm)")) {
                all.append(sample.name()).append(macros(sample.bytes())).append('\n');
            }
        }
        return all.toString();
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    private static List<String> extensions(List<Path> files) {
        return files.stream().map(path -> path.getFileName().toString().replaceAll(".*\\.", ""))
                .collect(Collectors.toSet()).stream().toList();
    }
}
