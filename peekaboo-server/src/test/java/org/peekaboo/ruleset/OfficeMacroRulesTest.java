package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.office.testing.OfficeFiles.module;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.MacroAnalyzer;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.slf4j.LoggerFactory;

class OfficeMacroRulesTest {
    private static final OleReportSource REPORTS = new OleReportSource(MacroAnalyzer.withDefaultLimits());
    private static final byte[] AUTO_OPEN_DOC = OfficeFiles.doc(module("ThisDocument", "Sub AutoOpen()",
            "  Set x = CreateObject(\"Msxml2.XMLHTTP\")", "End Sub"));
    private static final byte[] TIDY_DOCM = OfficeFiles.docm(module("Module1", "Sub Tidy()", "End Sub"));

    private final OfficeMacroRule officeMacro = new OfficeMacroRule(REPORTS);
    private final OfficeMacroWithSuspiciousKeywordRule suspicious =
            new OfficeMacroWithSuspiciousKeywordRule(List.of("shell", "autoopen", "document_(open|close)"), REPORTS);

    @TempDir
    Path dir;

    @Test
    void aFileWithAMacroIsBad() throws Exception {
        assertThat(officeMacro.evaluate(context(TIDY_DOCM, "tidy.docm"))).isEqualTo(
                RuleResult.stop("office_macro", Result.BAD, "The file contains an Office macro"));
        assertThat(officeMacro.evaluate(context(OfficeFiles.xls(Map.of(), true, false), "old.xls")).result())
                .isEqualTo(Result.BAD);
    }

    @Test
    void aProjectWithoutCodeIsNoMacro() throws Exception {
        byte[] empty = OfficeFiles.xlsm(module("ThisWorkbook", "Attribute VB_Base = \"0{00020819-0000-0000-C000-000000000046}\"",
                "Attribute VB_Creatable = False", "Option Explicit"));

        assertThat(officeMacro.evaluate(context(empty, "budget.xlsm"))).isEqualTo(RuleResult.proceed(
                "office_macro", Result.UNKNOWN, "The file's VBA project holds no macro code"));
    }

    @Test
    void aFileWithoutAMacroGoesOn() throws Exception {
        RuleResult expected = RuleResult.proceed("office_macro", Result.UNKNOWN, "The file contains no Office macro");

        assertThat(officeMacro.evaluate(context(OfficeFiles.doc(Map.of()), "letter.doc"))).isEqualTo(expected);
        assertThat(officeMacro.evaluate(context("%PDF-1.4\n".getBytes(), "a.pdf"))).isEqualTo(expected);
    }

    @Test
    void theFirstMatchingKeywordIsNamed() throws Exception {
        assertThat(suspicious.evaluate(context(AUTO_OPEN_DOC, "invoice.doc"))).isEqualTo(RuleResult.stop(
                "office_macro_with_suspicious_keyword", Result.BAD,
                "The file contains an Office macro with the suspicious keyword \"AutoOpen\" (keyword /autoopen/)"));
    }

    @Test
    void macrosWithoutAKeywordAndFilesWithoutMacrosGoOn() throws Exception {
        assertThat(suspicious.evaluate(context(TIDY_DOCM, "tidy.docm"))).isEqualTo(RuleResult.proceed(
                "office_macro_with_suspicious_keyword", Result.UNKNOWN,
                "The file's Office macros contain none of the suspicious keywords"));
        assertThat(suspicious.evaluate(context("Sub AutoOpen()".getBytes(), "a.txt"))).isEqualTo(RuleResult.proceed(
                "office_macro_with_suspicious_keyword", Result.UNKNOWN, "The file contains no Office macro"));
    }

    @Test
    void aLongMatchIsQuotedOnOneShortLine() throws Exception {
        var everything = new OfficeMacroWithSuspiciousKeywordRule(List.of("(?s)attribute.*"), REPORTS);

        String reason = everything.evaluate(context(AUTO_OPEN_DOC, "invoice.doc")).reason();
        assertThat(reason).doesNotContain("\n", "\r").contains("...\" (keyword /(?s)attribute.*/)");
    }

    @Test
    void bothRulesShareOneAnalysisPerSample() throws Exception {
        SampleContext context = context(AUTO_OPEN_DOC, "invoice.doc");
        officeMacro.evaluate(context);

        assertThat(context.report(new OleReportSource(MacroAnalyzer.withDefaultLimits())))
                .isSameAs(context.report(REPORTS));
    }

    @Test
    void aDocumentThatCannotBeReadGetsTheConfiguredResult() throws Exception {
        byte[] truncated = Arrays.copyOf(AUTO_OPEN_DOC, AUTO_OPEN_DOC.length / 2);
        UndecidableDocuments failing = new UndecidableDocuments(Result.IGNORED, Result.FAILED);

        assertThat(officeMacro.evaluate(context(truncated, "cut.doc")).result()).isEqualTo(Result.IGNORED);
        assertThat(suspicious.evaluate(context(truncated, "cut.doc")).result()).isEqualTo(Result.IGNORED);
        assertThat(new OfficeMacroRule(REPORTS, failing).evaluate(context(truncated, "cut.doc")).result())
                .isEqualTo(Result.FAILED);
        assertThat(new OfficeMacroWithSuspiciousKeywordRule(List.of("shell"), REPORTS, failing)
                .evaluate(context(truncated, "cut.doc")).result()).isEqualTo(Result.FAILED);
    }

    @Test
    void inARulesetAnUnreadableDocumentOrAZipBombIsDecidedAtOnce() throws IOException {
        Ruleset ruleset = new Ruleset(List.of(officeMacro, new FinalRule()), FakeFileTypeDetector.nothingDetected());
        TestSamples samples = new TestSamples(dir);

        SampleVerdict cut = ruleset.run(samples.sample(Arrays.copyOf(TIDY_DOCM, 300), "cut.docm", null), 1);
        SampleVerdict bomb = ruleset.run(samples.sample(OfficeFiles.docmZipBomb(16 << 20), "bomb.docm", null), 2);
        SampleVerdict clean = ruleset.run(samples.sample(OfficeFiles.docx(), "clean.docx", null), 3);

        assertThat(cut.result()).isEqualTo(Result.IGNORED);
        assertThat(cut.reason()).startsWith("The document cannot be analysed: ");
        assertThat(bomb.result()).isEqualTo(Result.IGNORED);
        assertThat(bomb.reason()).contains("zip bomb");
        assertThat(clean.result()).isEqualTo(Result.UNKNOWN);
        assertThat(clean.rule()).isEqualTo("final_rule");
    }

    @Test
    void anUndecidableDocumentIsWarnedAboutOnceInOneLineHoweverManyRulesReadIt() throws IOException {
        MacroReportSource shared = new MacroReportSource(REPORTS);
        Ruleset ruleset = new Ruleset(List.of(new OfficeMacroDropperRule(shared), new OfficeMacroRule(shared),
                new FinalRule()), FakeFileTypeDetector.nothingDetected());
        Logger logger = (Logger) LoggerFactory.getLogger(MacroReportSource.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            SampleVerdict verdict = ruleset.run(new TestSamples(dir).sample(
                    Arrays.copyOf(AUTO_OPEN_DOC, AUTO_OPEN_DOC.length / 2), "cut.doc", null), 1);

            assertThat(verdict.result()).isEqualTo(Result.IGNORED);
            assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                    .satisfies(event -> {
                        assertThat(event.getFormattedMessage()).contains("cut.doc", "(unreadable)",
                                "cannot read the Office document");
                        assertThat(event.getThrowableProxy()).isNull();
                    });
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void keywordsAreRequired() {
        assertThatThrownBy(() -> new OfficeMacroWithSuspiciousKeywordRule(List.of(), REPORTS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private SampleContext context(byte[] content, String name) throws IOException {
        return TestSamples.context(new TestSamples(dir).sample(content, name, null), FakeFileTypeDetector.nothingDetected());
    }
}
