package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * Each example expression of PeekabooAV's sample ruleset, loaded from a ruleset file and
 * run on samples it is meant for, with real file type detection and fake Office and
 * Cortex reports.
 */
class PeekabooAvSampleExpressionsTest {
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

    private final FakeKnownResults known = new FakeKnownResults();
    private final FakeReport ole = new FakeReport("olereport").with("has_office_macros", false);
    private final FakeReport cuckoo = new FakeReport("CuckooSandboxFileReport").with("malscore", -1.0);
    private final FakeReport virusTotal = new FakeReport("VirusTotalQueryReport").with("n_of_all", 3L);
    private final FakeReport cortex = new FakeReport("cortexreport")
            .with("CuckooSandboxFileReport", cuckoo).with("VirusTotalQueryReport", virusTotal);
    private final FakeReportSource cortexSource = FakeReportSource.of("cortexreport", cortex);
    private Ruleset ruleset;

    @TempDir
    Path dir;

    @BeforeEach
    void load() throws URISyntaxException {
        Path file = Path.of(getClass().getResource("peekabooav-sample-expressions.conf").toURI());
        RulesetLoader loader = new RulesetLoader(known, new TikaFileTypeDetector(), Clock.fixed(NOW, ZoneOffset.UTC),
                List.of(FakeReportSource.of("olereport", ole), cortexSource));
        LoadedRuleset loaded = loader.load(file);
        assertThat(loaded.warnings()).isEmpty();
        ruleset = loaded.ruleset();
    }

    @Test
    void plainTextAndEmptyFilesAreIgnored() throws IOException {
        assertDecidedBy("expression.1", Result.IGNORED, sample("Just words.\n", "notes.txt", "text/plain", null));
        assertDecidedBy("expression.1", Result.IGNORED, sample("", "empty", null, null));
    }

    @Test
    void smimeSignaturesAreIgnored() throws IOException {
        assertDecidedBy("expression.2", Result.IGNORED,
                sample("0\u0082\u0001signature", "smime.p7s", "application/pkcs7-signature", null));
        assertNothingMatched(sample("0\u0082\u0001signature", "smime.p7z", "application/pkcs7-signature", null));
        assertNothingMatched(sample("0\u0082\u0001signature", null, "application/pkcs7-signature", null));
    }

    @Test
    void pgpSignaturesAreIgnored() throws IOException {
        assertDecidedBy("expression.3", Result.IGNORED, sample("-----BEGIN PGP SIGNATURE-----\nabc\n",
                "signature.asc", "application/pgp-signature", null));
    }

    @Test
    void officeFilesWithMacrosThatScoreHighInTheSandboxAreBad() throws IOException {
        ole.with("has_office_macros", true);
        cuckoo.with("malscore", 5.5);

        assertDecidedBy("expression.4", Result.BAD, sample("\u00d0\u00cf\u0011\u00e0 macro", "invoice.doc", null, null));

        cuckoo.with("malscore", 3.0);
        assertNothingMatched(sample("\u00d0\u00cf\u0011\u00e0 macro", "invoice.doc", null, null));
    }

    @Test
    void officeFilesWithoutMacrosAreNotSentToTheSandboxByTheOfficeExpression() throws IOException {
        assertNothingMatched(sample("\u00d0\u00cf\u0011\u00e0 letter", "letter.doc", null, null));
        assertThat(cortex.asked()).containsExactly("VirusTotalQueryReport", "CuckooSandboxFileReport");
    }

    @Test
    void aRecentlyKnownSampleGetsItsWorstEarlierResult() throws IOException {
        Sample seen = sample("%PDF-1.4 seen", "seen.pdf", "application/pdf", null);
        known.add(seen.identity(), new StoredResult(1, Result.BAD, "r", NOW.minus(Duration.ofDays(13))));
        known.add(seen.identity(), new StoredResult(2, Result.GOOD, "r", NOW.minus(Duration.ofDays(1))));

        assertDecidedBy("expression.5", Result.BAD, seen);
    }

    @Test
    void aSampleKnownTooLongAgoIsAnalysedAgain() throws IOException {
        Sample old = sample("%PDF-1.4 old", "old.pdf", "application/pdf", null);
        known.add(old.identity(), new StoredResult(1, Result.BAD, "r", NOW.minus(Duration.ofDays(14))));

        assertNothingMatched(old);
    }

    @Test
    void aSampleNoVirusTotalEngineFlagsIsUnknownAndTheRulesetStops() throws IOException {
        virusTotal.with("n_of_all", 0L);

        assertDecidedBy("expression.6", Result.UNKNOWN, sample("%PDF-1.4 clean", "clean.pdf", null, null));
    }

    @Test
    void inlineImagesAreIgnored() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
        assertDecidedBy("expression.7", Result.IGNORED, sample(png, "logo.png", "image/png", "inline"));
        assertNothingMatched(sample(png, "logo.png", "image/png", "attachment"));
    }

    @Test
    void anythingWithAHighSandboxScoreIsBad() throws IOException {
        cuckoo.with("malscore", 6.5);

        assertDecidedBy("expression.8", Result.BAD, sample("#!/bin/sh\nrm -rf /\n", "run.sh", null, null));
    }

    private void assertDecidedBy(String key, Result result, Sample sample) {
        SampleVerdict verdict = ruleset.run(sample, 99);
        assertThat(verdict.rule()).as(verdict.reason()).isEqualTo("expressions");
        assertThat(verdict.reason()).isEqualTo("The expression " + key + " classified the sample as " + result.label());
        assertThat(verdict.result()).isEqualTo(result);
    }

    private void assertNothingMatched(Sample sample) {
        SampleVerdict verdict = ruleset.run(sample, 99);
        assertThat(verdict.report().getFirst()).isEqualTo(RuleResult.proceed("expressions", Result.UNKNOWN,
                ExpressionsRule.NONE_MATCHED));
    }

    private Sample sample(String content, String name, String type, String disposition) throws IOException {
        return sample(content.getBytes(StandardCharsets.ISO_8859_1), name, type, disposition);
    }

    private Sample sample(byte[] content, String name, String type, String disposition) throws IOException {
        Path file = Files.write(Files.createTempFile(dir, "p", ""), content);
        return TestContents.read(file, new SampleDeclaration(file.toString(), name, type, disposition));
    }
}
