package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class KnownRuleTest {
    private static final Instant EARLIER = Instant.parse("2024-05-01T10:00:00Z");

    private final FakeKnownResults known = new FakeKnownResults();
    private final KnownRule rule = new KnownRule(known);
    private Sample sample;

    @BeforeEach
    void createSample(@TempDir Path dir) throws IOException {
        sample = new TestSamples(dir).sample("invoice content", "invoice.pdf", "application/pdf");
    }

    @Test
    void anUnknownSampleGoesOn() throws Exception {
        RuleResult result = rule.evaluate(context(42));

        assertThat(result).isEqualTo(
                RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"));
    }

    @Test
    void aKnownSampleGetsItsEarlierResultAndReasonAndStops() throws Exception {
        known.add(sample.identity(), new StoredResult(7, Result.BAD, "The file contains an Office macro", EARLIER));

        RuleResult result = rule.evaluate(context(42));

        assertThat(result).isEqualTo(RuleResult.stop("known", Result.BAD, "The file contains an Office macro"));
    }

    @Test
    void asksForTheSampleIdentityWithoutTheRunningJob() throws Exception {
        rule.evaluate(context(42));

        assertThat(known.queries()).containsExactly(new FakeKnownResults.Query(sample.identity(), 42));
    }

    @Test
    void theRunningAnalysisDoesNotCountAsKnown() throws Exception {
        known.add(sample.identity(), new StoredResult(42, Result.BAD, "itself", EARLIER));

        assertThat(rule.evaluate(context(42)).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void takesTheWorstEarlierResult() throws Exception {
        known.add(sample.identity(), new StoredResult(3, Result.IGNORED, "File type is on whitelist", EARLIER));
        known.add(sample.identity(), new StoredResult(5, Result.BAD, "bad once", EARLIER));
        known.add(sample.identity(), new StoredResult(6, Result.UNKNOWN, "unknown later", EARLIER));

        assertThat(rule.evaluate(context(42))).isEqualTo(RuleResult.stop("known", Result.BAD, "bad once"));
    }

    @Test
    void otherIdentitiesAreNotThisSample() throws Exception {
        known.add("0".repeat(64), new StoredResult(3, Result.BAD, "another file", EARLIER));

        assertThat(rule.evaluate(context(42)).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void explainsAKnownResultStoredWithoutReason() throws Exception {
        known.add(sample.identity(), new StoredResult(9, Result.IGNORED, null, EARLIER));

        assertThat(rule.evaluate(context(42)))
                .isEqualTo(RuleResult.stop("known", Result.IGNORED, "File is known to the system from analysis 9"));
    }

    private SampleContext context(long jobId) {
        return new SampleContext(sample, jobId, FakeFileTypeDetector.nothingDetected());
    }
}
