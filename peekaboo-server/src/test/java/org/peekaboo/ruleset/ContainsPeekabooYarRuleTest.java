package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class ContainsPeekabooYarRuleTest {
    private static final byte[] MARKER = ContainsPeekabooYarRule.MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final RuleResult FOUND = RuleResult.stop("contains_peekabooyar", Result.BAD,
            "The file contains the PeekabooYar test marker");
    private static final RuleResult NOT_FOUND = RuleResult.proceed("contains_peekabooyar", Result.UNKNOWN,
            "The file does not contain the PeekabooYar test marker");

    private final ContainsPeekabooYarRule rule = new ContainsPeekabooYarRule();

    @TempDir
    Path dir;

    @Test
    void findsTheMarkerInATextFile() throws IOException {
        assertThat(evaluate("Hello\n" + ContainsPeekabooYarRule.MARKER + "\nBye\n")).isEqualTo(FOUND);
    }

    @Test
    void aFileWithoutTheMarkerGoesOn() throws IOException {
        assertThat(evaluate("just an ordinary text\n")).isEqualTo(NOT_FOUND);
    }

    @Test
    void anAlmostCompleteMarkerIsNoMarker() throws IOException {
        String truncated = ContainsPeekabooYarRule.MARKER.substring(0, ContainsPeekabooYarRule.MARKER.length() - 1);

        assertThat(evaluate(truncated)).isEqualTo(NOT_FOUND);
        assertThat(evaluate(truncated.toLowerCase())).isEqualTo(NOT_FOUND);
    }

    @Test
    void anEmptyFileHasNoMarker() throws IOException {
        assertThat(evaluate("")).isEqualTo(NOT_FOUND);
    }

    @Test
    void findsAMarkerSplitAcrossTheReadBuffers() throws IOException {
        for (int before : new int[] {1, MARKER.length / 2, MARKER.length - 1}) {
            byte[] content = new byte[ContainsPeekabooYarRule.BUFFER_SIZE + MARKER.length];
            Arrays.fill(content, (byte) 'X');
            System.arraycopy(MARKER, 0, content, ContainsPeekabooYarRule.BUFFER_SIZE - before, MARKER.length);

            assertThat(evaluate(content)).as("%d marker bytes in the first buffer", before).isEqualTo(FOUND);
        }
    }

    @Test
    void findsTheMarkerAtTheEndOfATenMegabyteFile() throws IOException {
        Path file = dir.resolve("large");
        byte[] block = new byte[1024 * 1024];
        Arrays.fill(block, (byte) 'X');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 10; i++) {
                out.write(block);
            }
            out.write(MARKER);
        }

        assertThat(rule.evaluate(context(TestSamples.of(file, "large.bin", null)))).isEqualTo(FOUND);
    }

    @Test
    void theRuleReadsTheSnapshotNotTheClientsFile() throws IOException {
        Path file = Files.write(dir.resolve("marked"), ContainsPeekabooYarRule.MARKER.getBytes(StandardCharsets.US_ASCII));
        Sample sample = TestSamples.of(file, "marked", null);
        Files.write(file, "clean now".getBytes(StandardCharsets.US_ASCII));

        assertThat(rule.evaluate(context(sample))).isEqualTo(FOUND);
    }

    @Test
    void aDiscardedSnapshotIsAFailureNotAPass() throws IOException {
        // Larger than what is kept in memory, so the snapshot is a spooled file that closing deletes.
        Path file = Files.write(dir.resolve("large"), new byte[2 * 1024 * 1024]);
        Sample sample = TestSamples.of(file, "large", null);
        sample.content().close();

        assertThatThrownBy(() -> rule.evaluate(context(sample))).isInstanceOf(IOException.class);
    }

    private RuleResult evaluate(String content) throws IOException {
        return evaluate(content.getBytes(StandardCharsets.UTF_8));
    }

    private RuleResult evaluate(byte[] content) throws IOException {
        return rule.evaluate(context(new TestSamples(dir).sample(content, null, null)));
    }

    private static SampleContext context(Sample sample) {
        return TestSamples.context(sample, FakeFileTypeDetector.nothingDetected());
    }
}
