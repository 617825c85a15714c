package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class FileLargerThanRuleTest {
    private final FileLargerThanRule rule = new FileLargerThanRule(FileLargerThanRule.DEFAULT_BYTES);

    @TempDir
    Path dir;

    @Test
    void defaultsToFiveBytes() {
        assertThat(FileLargerThanRule.DEFAULT_BYTES).isEqualTo(5);
    }

    @Test
    void aFileOfExactlyTheLimitIsIgnoredAndStops() throws IOException {
        assertThat(rule.evaluate(context("12345")))
                .isEqualTo(RuleResult.stop("file_larger_than", Result.IGNORED, "File is only 5 bytes long"));
    }

    @Test
    void aFileAboveTheLimitGoesOn() throws IOException {
        assertThat(rule.evaluate(context("123456")))
                .isEqualTo(RuleResult.proceed("file_larger_than", Result.UNKNOWN, "File has more than 5 bytes"));
    }

    @Test
    void anEmptyFileIsIgnored() throws IOException {
        assertThat(rule.evaluate(context("")))
                .isEqualTo(RuleResult.stop("file_larger_than", Result.IGNORED, "File is only 0 bytes long"));
    }

    @Test
    void honoursAConfiguredLimit() throws IOException {
        FileLargerThanRule configured = new FileLargerThanRule(100);

        assertThat(configured.evaluate(context("x".repeat(100))).result()).isEqualTo(Result.IGNORED);
        assertThat(configured.evaluate(context("x".repeat(101))))
                .isEqualTo(RuleResult.proceed("file_larger_than", Result.UNKNOWN, "File has more than 100 bytes"));
    }

    @Test
    void aLimitOfZeroOnlyIgnoresEmptyFiles() throws IOException {
        FileLargerThanRule zero = new FileLargerThanRule(0);

        assertThat(zero.evaluate(context("")).result()).isEqualTo(Result.IGNORED);
        assertThat(zero.evaluate(context("x")).result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void refusesANegativeLimit() {
        assertThatThrownBy(() -> new FileLargerThanRule(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file_larger_than.bytes")
                .hasMessageContaining("-1");
    }

    private SampleContext context(String content) throws IOException {
        return TestSamples.context(new TestSamples(dir).sample(content, "file.bin", null),
                FakeFileTypeDetector.nothingDetected());
    }
}
