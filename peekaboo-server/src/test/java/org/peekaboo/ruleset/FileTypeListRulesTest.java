package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/** The whitelist and greylist rules over the same type sets: content, name and declared type. */
class FileTypeListRulesTest {
    private static final Set<String> WHITELIST = Set.of("text/plain", "inode/x-empty");
    private static final Set<String> GREYLIST = Set.of("application/pdf", "application/zip");

    private final FileTypeOnWhitelistRule whitelist = new FileTypeOnWhitelistRule(WHITELIST);
    private final FileTypeOnGreylistRule greylist = new FileTypeOnGreylistRule(GREYLIST);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "content={0} name={1} declared={2} -> whitelisted={3}")
    @CsvSource(nullValues = "-", value = {
            // declared type only
            "-, -, text/plain, true",
            "-, -, application/pdf, false",
            // detected types only
            "text/plain, -, -, true",
            "-, text/plain, -, true",
            "text/plain, inode/x-empty, -, true",
            "text/plain, text/x-python, -, false",
            // detected and declared
            "text/plain, text/plain, text/plain, true",
            "text/plain, -, application/pdf, false",
            "application/pdf, -, text/plain, false",
            // no type at all vouches for nothing
            "-, -, -, false",
            // MIME types are case-insensitive
            "-, -, Text/Plain, true",
    })
    void whitelistNeedsEveryTypeOnTheList(String byContent, String byName, String declared, boolean whitelisted)
            throws IOException {
        RuleResult result = whitelist.evaluate(context(byContent, byName, declared));

        if (whitelisted) {
            assertThat(result).isEqualTo(
                    RuleResult.stop("file_type_on_whitelist", Result.IGNORED, "File type is on whitelist"));
        } else {
            assertThat(result).isEqualTo(
                    RuleResult.proceed("file_type_on_whitelist", Result.UNKNOWN, "File type is not on whitelist"));
        }
    }

    @ParameterizedTest(name = "content={0} name={1} declared={2} -> analyse={3}")
    @CsvSource(nullValues = "-", value = {
            // declared type only
            "-, -, application/pdf, true",
            "-, -, text/plain, false",
            // detected types only
            "application/zip, -, -, true",
            "-, application/pdf, -, true",
            "text/plain, text/x-python, -, false",
            // one listed type among others is enough
            "text/plain, -, application/pdf, true",
            "application/zip, text/plain, text/plain, true",
            // nothing known about the type: analyse
            "-, -, -, true",
            "-, -, APPLICATION/PDF, true",
    })
    void greylistNeedsOneTypeOnTheList(String byContent, String byName, String declared, boolean analyse)
            throws IOException {
        RuleResult result = greylist.evaluate(context(byContent, byName, declared));

        assertThat(result.rule()).isEqualTo("file_type_on_greylist");
        assertThat(result.result()).isEqualTo(Result.UNKNOWN);
        assertThat(result.furtherAnalysis()).isEqualTo(analyse);
        assertThat(result.reason()).startsWith(analyse
                ? "File type is on the list of types to analyze"
                : "File type is not on the list of types to analyse (");
    }

    @Test
    void greylistMissNamesTheTypesAndStopsWithUnknown() throws IOException {
        RuleResult result = greylist.evaluate(context("text/plain", "text/x-python", "text/x-script"));

        assertThat(result).isEqualTo(RuleResult.stop("file_type_on_greylist", Result.UNKNOWN,
                "File type is not on the list of types to analyse (text/plain, text/x-python, text/x-script)"));
    }

    @Test
    void listsAreComparedInLowerCase() throws IOException {
        FileTypeOnGreylistRule mixedCase = new FileTypeOnGreylistRule(
                Set.of("application/vnd.ms-word.document.macroEnabled.12"));

        RuleResult result = mixedCase.evaluate(
                context("application/vnd.ms-word.document.macroenabled.12", null, null));

        assertThat(result.furtherAnalysis()).isTrue();
        assertThat(mixedCase.greylist()).containsExactly("application/vnd.ms-word.document.macroenabled.12");
    }

    @Test
    void emptyListsAreRefused() {
        assertThatThrownBy(() -> new FileTypeOnWhitelistRule(Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file_type_on_whitelist.whitelist is empty");
        assertThatThrownBy(() -> new FileTypeOnGreylistRule(Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file_type_on_greylist.greylist is empty");
        assertThatThrownBy(() -> new FileTypeOnGreylistRule(Set.of(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file_type_on_greylist.greylist contains an empty entry");
    }

    @Test
    void detectsTypesOncePerSampleForBothLists() throws IOException {
        FakeFileTypeDetector detector = FakeFileTypeDetector.reporting("application/pdf", null);
        SampleContext context = TestSamples.context(new TestSamples(dir).sample("%PDF-1.4", null, null), detector);

        whitelist.evaluate(context);
        greylist.evaluate(context);

        assertThat(detector.calls()).isEqualTo(1);
    }

    @Test
    void aDetectorFailureReachesTheEngine() throws IOException {
        IOException unreadable = new IOException("Cannot detect the file type of /x: permission denied");
        SampleContext context = TestSamples.context(new TestSamples(dir).sample("content", null, null),
                FakeFileTypeDetector.failingWith(unreadable));

        assertThatThrownBy(() -> whitelist.evaluate(context)).isSameAs(unreadable);
        assertThatThrownBy(() -> greylist.evaluate(context)).isSameAs(unreadable);
    }

    private SampleContext context(String byContent, String byName, String declared) throws IOException {
        return TestSamples.context(new TestSamples(dir).sample("some content", null, declared),
                FakeFileTypeDetector.reporting(byContent, byName));
    }
}
