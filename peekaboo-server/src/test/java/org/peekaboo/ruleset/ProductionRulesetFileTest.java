package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;

/** The shipped {@code config/ruleset.conf} must describe exactly the built-in ruleset. */
class ProductionRulesetFileTest {
    /** Tests run in the module directory; the sample configuration lives at the repository root. */
    private static final Path SHIPPED = Path.of("..", "config", "ruleset.conf");
    private static final TikaFileTypeDetector DETECTOR = new TikaFileTypeDetector();

    private final FakeKnownResults known = new FakeKnownResults();
    private final RulesetLoader loader = OfficeReports.loader(known, DETECTOR);
    private LoadedRuleset shipped;

    @TempDir
    Path dir;

    @BeforeEach
    void load() {
        assertThat(SHIPPED).as("shipped ruleset relative to " + Path.of("").toAbsolutePath()).isRegularFile();
        shipped = loader.load(SHIPPED);
    }

    @Test
    void hasTheBuiltInRulesWithTheBuiltInOptions() {
        assertThat(shipped.ruleset().rules()).isEqualTo(loader.builtIn().ruleset().rules());
        assertThat(shipped.warnings()).isEmpty();
    }

    @Test
    void judgesSamplesLikeTheBuiltInRuleset() throws IOException {
        TestSamples samples = new TestSamples(dir);
        List<Sample> cases = new ArrayList<>(List.of(
                samples.sample("plain words\n", "a.txt", "text/plain"),
                samples.sample(ContainsPeekabooYarRule.MARKER, "marker.txt", null),
                samples.sample("tiny", "tiny.exe", null),
                samples.sample("%PDF-1.4\n1 0 obj\n", "invoice.pdf", "application/pdf"),
                samples.sample("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "invite.ics", "text/calendar"),
                samples.sample(new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0}, "setup.exe", null),
                samples.sample("", "empty.doc", null),
                samples.sample("new ActiveXObject('WScript.Shell').Run('calc');\n", "invoice.js", null),
                samples.sample("<html><body><a download=\"a.zip\" href=\"data:application/zip;base64,UEsDBA==\">"
                        + "a</a></body></html>", "invoice.html", "text/html")));
        Sample knownBad = samples.sample("seen before", "old.doc", "application/msword");
        known.add(knownBad.identity(), new StoredResult(1, Result.BAD, "bad before", Instant.EPOCH));
        cases.add(knownBad);

        for (Sample sample : cases) {
            assertThat(shipped.ruleset().run(sample, 9))
                    .as(sample.nameDeclared())
                    .isEqualTo(loader.builtIn().ruleset().run(sample, 9));
        }
    }

    @Test
    void documentsEveryOptionOfEveryRule() throws IOException {
        String text = Files.readString(SHIPPED);

        for (String rule : RulesetLoader.KNOWN_RULES) {
            assertThat(text).as("section of " + rule).contains("[" + rule + "]");
        }
        for (String option : List.of("bytes", "whitelist.1", "greylist.1", "keyword.1", "log_level", "expression.1",
                "signature.1", "higher_than", "domain.1", "failure.1", "success.1")) {
            assertThat(text).as("option " + option).contains(option + " ");
        }
    }
}
