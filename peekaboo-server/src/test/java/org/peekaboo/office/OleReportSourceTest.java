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
import org.peekaboo.sample.SampleDeclaration;
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
}
