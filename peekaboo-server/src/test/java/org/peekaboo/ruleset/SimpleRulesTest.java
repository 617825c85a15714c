package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/** The rules without options. */
class SimpleRulesTest {
    @TempDir
    Path dir;

    @Test
    void finalRuleSaysNothingWasFound() throws IOException {
        assertThat(new FinalRule().evaluate(context())).isEqualTo(RuleResult.proceed("final_rule", Result.UNKNOWN,
                "File does not seem to exhibit recognizable malicious behaviour"));
    }

    @Test
    void rulesKnowTheirConfigurationNames() {
        assertThat(new FinalRule().name()).isEqualTo("final_rule");
        assertThat(new ContainsPeekabooYarRule().name()).isEqualTo("contains_peekabooyar");
        assertThat(new FileLargerThanRule(5).name()).isEqualTo("file_larger_than");
        assertThat(new FileTypeOnWhitelistRule(Set.of("text/plain")).name())
                .isEqualTo("file_type_on_whitelist");
        assertThat(new FileTypeOnGreylistRule(Set.of("application/pdf")).name())
                .isEqualTo("file_type_on_greylist");
        assertThat(new KnownRule(new FakeKnownResults()).name()).isEqualTo("known");
    }

    private SampleContext context() throws IOException {
        return TestSamples.context(new TestSamples(dir).sample("anything at all", null, null),
                FakeFileTypeDetector.nothingDetected());
    }
}
