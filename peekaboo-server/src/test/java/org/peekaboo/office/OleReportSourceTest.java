package org.peekaboo.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.office.testing.OfficeFiles.module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.testing.TestContents;

class OleReportSourceTest {
    @TempDir
    Path dir;

    /** POI and ZipFile only read files: they get the daemon's private copy, never the client's file again. */
    @Test
    void theInspectorsReadTheSnapshotNotTheClientsFile() throws IOException {
        Path file = Files.write(dir.resolve("p001"), OfficeFiles.doc(module("Module1", "Sub AutoOpen()",
                "  Shell \"cmd\"", "End Sub")));
        Sample sample = TestContents.read(file, new SampleDeclaration(file.toString(), "invoice.doc", null, null));
        Files.writeString(file, "a harmless text now", StandardCharsets.US_ASCII);

        OleReport report = OleReportSource.withDefaultLimits()
                .compute(new SampleContext(sample, 1, FakeFileTypeDetector.nothingDetected()));

        assertThat(report.hasOfficeMacros()).isTrue();
        assertThat(report.hasAutoexec()).isTrue();
        assertThat(sample.content().file().startsWith(dir)).as("the copy lies outside the client's directory").isFalse();
    }

    /** The built-in ruleset asks about every file; most need no file written to be told apart. */
    @Test
    void filesThatAreNoOfficeContainersAreToldFromTheirHeadWithoutSpooling() throws IOException {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        SampleContent text = SampleContent.of("Sub AutoOpen()\r\n  Shell \"cmd\"\r\nEnd Sub\r\n"
                .getBytes(StandardCharsets.US_ASCII), SampleSpool.under(spoolDir));
        Sample sample = Sample.of(text, new SampleDeclaration("/tmp/macro.txt", "macro.txt", null, null));

        OleReport report = OleReportSource.withDefaultLimits()
                .compute(new SampleContext(sample, 1, FakeFileTypeDetector.nothingDetected()));

        assertThat(report).isEqualTo(OleReport.NO_MACROS);
        try (var spooled = Files.list(spoolDir)) {
            assertThat(spooled).isEmpty();
        }
    }
}
