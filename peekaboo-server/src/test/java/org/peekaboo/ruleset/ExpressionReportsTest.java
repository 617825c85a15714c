package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;

/** The reports {@code sample}, {@code filereport} and {@code knownreport} as expressions see them. */
class ExpressionReportsTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sampleOffersWhatTheMailDeclaredAndTheContentsHashes() throws Exception {
        Sample sample = new TestSamples(dir).sample("attachment body", "Invoice 2024.PDF", "application/pdf");
        SampleContext context = new SampleContext(sample, 42, FakeFileTypeDetector.nothingDetected());
        ReportObject report = new SampleReport.Source().compute(context);

        assertThat(report.attribute("name_declared")).isEqualTo("Invoice 2024.PDF");
        assertThat(report.attribute("filename")).isEqualTo("Invoice 2024.PDF");
        assertThat(report.attribute("type_declared")).isEqualTo("application/pdf");
        assertThat(report.attribute("content_disposition")).isNull();
        assertThat(report.attribute("file_extension")).isEqualTo("PDF");
        assertThat(report.attribute("file_size")).isEqualTo(15L);
        assertThat(report.attribute("sha256sum")).isEqualTo(sample.sha256());
        assertThat(report.attribute("identity")).isEqualTo(sample.identity());
        assertThat(report.attribute("id")).isEqualTo(42L);
        assertThatThrownBy(() -> report.attribute("content")).isInstanceOf(UnknownAttributeException.class)
                .hasMessage("sample has no attribute 'content'");
        assertThat(new SampleReport.Source().shape()).isEqualTo(ReportShape.reportOf(report.attributeNames()));
    }

    @Test
    void filereportOffersTheDetectedTypes() throws Exception {
        ReportObject report = new FileTypesReport(new FileTypeReport("application/zip", null, "Zip archive"));

        assertThat(report.attribute("type_by_content")).isEqualTo("application/zip");
        assertThat(report.attribute("type_by_name")).isNull();
        assertThat(report.attribute("type_as_text")).isEqualTo("Zip archive");
        assertThat(report.attribute("mime_types")).isEqualTo(Set.of("application/zip"));
        assertThat(report.attributeNames()).containsExactly("type_by_content", "type_by_name", "type_as_text",
                "mime_types");
    }

    @Test
    void knownreportOfANewSampleKnowsNothing() throws Exception {
        KnownReport report = KnownReport.of(Optional.empty(), NOW);

        assertThat(report).isEqualTo(new KnownReport(false, Result.UNKNOWN, Result.UNKNOWN, 0, 0));
        assertThat(report.attribute("known")).isEqualTo(false);
        assertThat(report.attribute("result")).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void knownreportSummarisesEarlierAnalysesInWholeDays() throws IOException {
        Sample sample = new TestSamples(dir).sample("seen before", "old.doc", null);
        FakeKnownResults known = new FakeKnownResults()
                .add(sample.identity(), new StoredResult(1, Result.GOOD, "r", NOW.minus(Duration.ofDays(20))))
                .add(sample.identity(), new StoredResult(2, Result.BAD, "r", NOW.minus(Duration.ofDays(10))))
                .add(sample.identity(), new StoredResult(3, Result.IGNORED, "r",
                        NOW.minus(Duration.ofDays(2)).minusSeconds(1)))
                .add(sample.identity(), new StoredResult(4, Result.FAILED, "r", NOW.minus(Duration.ofHours(1))))
                .add(sample.identity(), new StoredResult(5, Result.BAD, "r", NOW.minus(Duration.ofHours(1))))
                .add("another identity", new StoredResult(6, Result.UNKNOWN, "r", NOW));
        KnownReport.Source source = new KnownReport.Source(known, Clock.fixed(NOW.plusSeconds(3599), ZoneOffset.UTC));

        KnownReport report = source.compute(new SampleContext(sample, 5, FakeFileTypeDetector.nothingDetected()));

        assertThat(report).isEqualTo(new KnownReport(true, Result.IGNORED, Result.BAD, 20, 2));
        assertThat(known.queries()).containsExactly(new FakeKnownResults.Query(sample.identity(), 5));
    }

    @Test
    void ofTwoAnalysesFinishedAtOnceTheWorseIsTheLast() {
        Instant at = NOW.minusSeconds(10);
        assertThat(KnownResults.History.of(java.util.List.of(new StoredResult(1, Result.BAD, null, at),
                new StoredResult(2, Result.GOOD, null, at))))
                .contains(new KnownResults.History(at, at, Result.BAD, Result.BAD));
    }
}
