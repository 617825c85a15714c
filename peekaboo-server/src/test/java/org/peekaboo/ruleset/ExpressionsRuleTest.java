package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.expression.Implication;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeReport;
import org.peekaboo.ruleset.testing.FakeReportSource;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/** The expressions rule: first match decides and stops, reports only when needed, failures fail closed. */
class ExpressionsRuleTest {
    private final Map<String, ReportSource<?>> sources = new LinkedHashMap<>();
    private final FakeReport cortex = new FakeReport("cortexreport")
            .failing("FileInfoReport", new IOException("Cortex answered 503 Service Unavailable"));
    private final FakeReportSource cortexSource = FakeReportSource.of("cortexreport", cortex);
    private final FakeReportSource oleSource = FakeReportSource.failing("olereport",
            new IOException("truncated OLE stream"));
    private SampleContext context;

    @TempDir
    Path dir;

    @BeforeEach
    void sample() throws IOException {
        sources.put("sample", new SampleReport.Source());
        sources.put("filereport", new FileTypesReport.Source());
        sources.put("cortexreport", cortexSource);
        sources.put("olereport", oleSource);
        context = TestSamples.context(new TestSamples(dir).sample("%PDF-1.4 invoice", "invoice.pdf",
                "application/pdf"), FakeFileTypeDetector.reporting("application/pdf", "application/pdf"));
    }

    @Test
    void theFirstMatchingExpressionDecidesAndStops() throws Exception {
        RuleResult result = rule("expression.1", "sample.file_extension == 'exe' -> bad",
                "expression.4", "sample.file_extension == 'pdf' -> ignore",
                "expression.7", "True -> bad").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.stop("expressions", Result.IGNORED,
                "The expression expression.4 classified the sample as ignored"));
    }

    @Test
    void unknownAsTheResultStopsTooLikePeekabooAvsCode() throws Exception {
        RuleResult result = rule("expression.2", "filereport.type_by_content == 'application/pdf' -> unknown",
                "expression.3", "True -> bad").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.stop("expressions", Result.UNKNOWN,
                "The expression expression.2 classified the sample as unknown"));
    }

    @Test
    void whenNothingMatchesTheRulesetGoesOn() throws Exception {
        RuleResult result = rule("expression.1", "sample.file_size < 3 -> ignore",
                "expression.2", "None -> bad").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.proceed("expressions", Result.UNKNOWN,
                "No expression classified the sample"));
    }

    @Test
    void theResultMayComeFromAReport() throws Exception {
        cortex.with("verdict", Result.BAD);

        RuleResult result = rule("expression.5", "True -> cortexreport.verdict").evaluate(context);

        assertThat(result.result()).isEqualTo(Result.BAD);
        assertThat(result.reason()).isEqualTo("The expression expression.5 classified the sample as bad");
    }

    @Test
    void aValueThatIsNoResultFails() throws Exception {
        assertThat(rule("expression.3", "True -> sample.file_size").evaluate(context)).isEqualTo(RuleResult.stop(
                "expressions", Result.FAILED, "Expression expression.3 matched but yielded '16' instead of a"
                        + " result (bad, fail, good, ignore, unknown)"));
        assertThat(rule("expression.3", "True -> sample.content_disposition").evaluate(context).reason())
                .isEqualTo("Expression expression.3 matched but yielded None instead of a result (bad, fail, good,"
                        + " ignore, unknown)");
    }

    @Test
    void reportsOfBranchesNotTakenAreNeverComputed() throws Exception {
        RuleResult result = rule(
                "expression.1", "sample.file_extension == 'doc' and olereport.has_office_macros -> bad",
                "expression.2", "sample.file_size > 1000000 and cortexreport.FileInfoReport -> bad",
                "expression.3", "sample.file_extension == 'pdf' or olereport.has_office_macros -> good")
                .evaluate(context);

        assertThat(result.result()).isEqualTo(Result.GOOD);
        assertThat(oleSource.computed()).isZero();
        assertThat(cortex.asked()).isEmpty();
    }

    @Test
    void aReportThatCannotBeComputedFailsNamingIt() throws Exception {
        RuleResult result = rule("expression.1", "sample.file_size < 3 -> ignore",
                "expression.4", "olereport.has_office_macros -> bad",
                "expression.5", "True -> good").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.stop("expressions", Result.FAILED,
                "Expression expression.4 could not get olereport: truncated OLE stream"));
    }

    @Test
    void aDocumentThatCanNeverBeAnalysedGetsTheConfiguredFinalResultNotFailed() throws Exception {
        sources.put("olereport", FakeReportSource.failing("olereport", new UndecidableDocumentException(
                UndecidableDocumentException.Kind.ENCRYPTED, "invoice.doc: encrypted", null)));

        RuleResult passed = rule("expression.4", "olereport.has_office_macros -> bad").evaluate(context);
        RuleResult refused = rule(new UndecidableDocuments(Result.BAD, Result.IGNORED),
                "expression.4", "olereport.has_office_macros -> bad").evaluate(context);

        assertThat(passed).isEqualTo(RuleResult.proceed("expressions", Result.IGNORED, "The document is encrypted"
                + " with a password other than Office's default ones; its macros cannot be analysed"));
        assertThat(refused.result()).isEqualTo(Result.BAD);
        assertThat(refused.furtherAnalysis()).isFalse();
    }

    @Test
    void aCorruptDocumentGetsTheUnreadableResult() throws Exception {
        sources.put("olereport", FakeReportSource.failing("olereport", new UndecidableDocumentException(
                UndecidableDocumentException.Kind.UNREADABLE, "invoice.doc: truncated sector chain", null)));

        RuleResult result = rule(new UndecidableDocuments(Result.IGNORED, Result.UNKNOWN),
                "expression.4", "olereport.has_office_macros -> bad").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.proceed("expressions", Result.UNKNOWN,
                "The document cannot be analysed: invoice.doc: truncated sector chain"));
    }

    @Test
    void aReportAttributeThatCannotBeObtainedFailsNamingIt() throws Exception {
        RuleResult result = rule("expression.9", "cortexreport.FileInfoReport -> bad",
                "expression.10", "True -> good").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.stop("expressions", Result.FAILED,
                "Expression expression.9 could not get cortexreport.FileInfoReport: Cortex answered 503 Service"
                        + " Unavailable"));
    }

    @Test
    void anExpressionThatCannotBeEvaluatedFails() throws Exception {
        RuleResult result = rule("expression.2", "sample.name_declared - 1 > 0 -> bad",
                "expression.3", "True -> good").evaluate(context);

        assertThat(result).isEqualTo(RuleResult.stop("expressions", Result.FAILED,
                "Expression expression.2 cannot be evaluated: unsupported operand types for -: 'str' and 'int'"));
    }

    @Test
    void eachReportIsComputedOncePerSample() throws Exception {
        FakeReportSource counted = FakeReportSource.of("olereport", new FakeReport("olereport")
                .with("has_office_macros", false).with("vba_code", ""));
        sources.put("olereport", counted);

        rule("expression.1", "olereport.has_office_macros -> bad",
                "expression.2", "olereport.vba_code != '' -> bad").evaluate(context);

        assertThat(counted.computed()).isEqualTo(1);
    }

    /** A rule of the given key/expression pairs. */
    private ExpressionsRule rule(String... keysAndExpressions) throws Exception {
        return rule(UndecidableDocuments.DEFAULT, keysAndExpressions);
    }

    private ExpressionsRule rule(UndecidableDocuments undecidable, String... keysAndExpressions) throws Exception {
        List<ExpressionsRule.Configured> configured = new ArrayList<>();
        for (int i = 0; i < keysAndExpressions.length; i += 2) {
            configured.add(new ExpressionsRule.Configured(keysAndExpressions[i],
                    Implication.parse(keysAndExpressions[i + 1])));
        }
        return new ExpressionsRule(configured, sources, undecidable);
    }
}
