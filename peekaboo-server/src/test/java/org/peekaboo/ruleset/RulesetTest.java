package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.FixedRule;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.ruleset.testing.ThrowingRule;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.slf4j.LoggerFactory;

/** The engine: rule order, verdict folding and where a run stops. */
class RulesetTest {
    private Sample sample;

    @BeforeEach
    void createSample(@TempDir Path dir) throws IOException {
        sample = new TestSamples(dir).sample("some attachment", "a.txt", "text/plain");
    }

    @Test
    void reportsEveryRuleResultInRuleOrder() {
        RuleResult first = RuleResult.proceed("first", Result.UNKNOWN, "one");
        RuleResult second = RuleResult.proceed("second", Result.IGNORED, "two");
        RuleResult third = RuleResult.proceed("third", Result.UNKNOWN, "three");

        SampleVerdict verdict = run(List.of(fixed(first), fixed(second), fixed(third)));

        assertThat(verdict.report()).containsExactly(first, second, third);
        assertThat(verdict.jobId()).isEqualTo(17);
    }

    @Test
    void theWorstResultDecidesWithItsRuleAndReason() {
        SampleVerdict verdict = run(List.of(
                fixed(RuleResult.proceed("a", Result.UNKNOWN, "nothing")),
                fixed(RuleResult.proceed("b", Result.BAD, "evil")),
                fixed(RuleResult.proceed("c", Result.FAILED, "broken")),
                fixed(RuleResult.proceed("d", Result.GOOD, "fine"))));

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("b");
        assertThat(verdict.reason()).isEqualTo("evil");
    }

    @Test
    void onATieTheLaterRuleGivesTheReason() {
        SampleVerdict verdict = run(List.of(
                fixed(RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system")),
                fixed(RuleResult.proceed("final_rule", Result.UNKNOWN, "nothing recognizable"))));

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("final_rule");
        assertThat(verdict.reason()).isEqualTo("nothing recognizable");
    }

    @Test
    void stopsAtTheFirstRuleThatEndsTheAnalysis() {
        FixedRule stopper = fixed(RuleResult.stop("file_larger_than", Result.IGNORED, "File is only 3 bytes long"));
        FixedRule neverAsked = fixed(RuleResult.proceed("final_rule", Result.UNKNOWN, "unreached"));

        SampleVerdict verdict = run(List.of(fixed(RuleResult.proceed("known", Result.UNKNOWN, "new")), stopper,
                neverAsked));

        assertThat(neverAsked.evaluations()).isZero();
        assertThat(verdict.report()).extracting(RuleResult::rule).containsExactly("known", "file_larger_than");
        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
    }

    @Test
    void aThrowingRuleFailsTheSampleAndStops() {
        FixedRule neverAsked = fixed(RuleResult.proceed("final_rule", Result.GOOD, "would pass"));

        SampleVerdict verdict = run(List.of(
                fixed(RuleResult.proceed("known", Result.UNKNOWN, "new")),
                new ThrowingRule("contains_peekabooyar", new IOException("disk on fire")),
                neverAsked));

        assertThat(neverAsked.evaluations()).isZero();
        assertThat(verdict.result()).isEqualTo(Result.FAILED);
        assertThat(verdict.rule()).isEqualTo("contains_peekabooyar");
        assertThat(verdict.reason()).startsWith("Rule aborted with error").contains("disk on fire");
        assertThat(verdict.report()).hasSize(2);
        assertThat(verdict.report().get(1).furtherAnalysis()).isFalse();
    }

    @Test
    void aRuntimeFailureInARuleIsAFailureToo() {
        SampleVerdict verdict = run(List.of(
                new ThrowingRule("file_type_on_whitelist", new IllegalStateException("bug"))));

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
    }

    @Test
    void aRuleWithoutAnswerFailsTheSample() {
        Rule silent = new Rule() {
            @Override
            public String name() {
                return "silent";
            }

            @Override
            public RuleResult evaluate(SampleContext context) {
                return null;
            }
        };

        SampleVerdict verdict = run(List.of(silent, fixed(RuleResult.proceed("final_rule", Result.UNKNOWN, "x"))));

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
        assertThat(verdict.report()).hasSize(1);
    }

    @Test
    void aFailureIsNotOverruledByALaterGoodResult() {
        SampleVerdict verdict = run(List.of(
                fixed(RuleResult.proceed("a", Result.FAILED, "partly broken")),
                fixed(RuleResult.proceed("b", Result.GOOD, "fine"))));

        assertThat(verdict.result()).isEqualTo(Result.FAILED);
    }

    @Test
    void aLeadingKnownRuleAnswersAKnownSampleBeforeAnyAnalysis() throws Exception {
        FakeKnownResults known = new FakeKnownResults().add(sample.identity(),
                new KnownResults.StoredResult(5, Result.BAD, "evil macro", Instant.EPOCH));
        Ruleset ruleset = new Ruleset(List.of(new KnownRule(known), new ThrowingRule("sandbox", new IOException())),
                FakeFileTypeDetector.nothingDetected());

        assertThat(ruleset.decideFromEarlierResults(ruleset.newContext(sample))).hasValueSatisfying(verdict -> {
            assertThat(verdict.report()).containsExactly(RuleResult.stop("known", Result.BAD, "evil macro"));
            assertThat(verdict.result()).isEqualTo(Result.BAD);
            assertThat(verdict.jobId()).isEqualTo(SampleVerdict.NO_JOB);
        });
    }

    @Test
    void theRunAfterAnEarlyLookUpDoesNotAskTheStoreAgain() throws Exception {
        FakeKnownResults known = new FakeKnownResults();
        Ruleset ruleset = new Ruleset(List.of(new KnownRule(known),
                fixed(RuleResult.stop("final_rule", Result.UNKNOWN, "unclassified"))),
                FakeFileTypeDetector.nothingDetected());
        SampleContext context = ruleset.newContext(sample);

        assertThat(ruleset.decideFromEarlierResults(context)).isEmpty();
        context.analysedAs(9, ExternalWaits.DIRECT);
        SampleVerdict verdict = ruleset.run(context);

        assertThat(known.queries()).hasSize(1);
        assertThat(verdict.report()).extracting(RuleResult::rule).containsExactly("known", "final_rule");
        assertThat(verdict.jobId()).isEqualTo(9);
    }

    @Test
    void aFailedEarlyLookUpIsAskedAgainByTheRun() throws Exception {
        FakeKnownResults known = new FakeKnownResults().failingLookUps(1);
        Ruleset ruleset = new Ruleset(List.of(new KnownRule(known),
                fixed(RuleResult.stop("final_rule", Result.UNKNOWN, "unclassified"))),
                FakeFileTypeDetector.nothingDetected());
        SampleContext context = ruleset.newContext(sample);

        assertThat(ruleset.decideFromEarlierResults(context)).isEmpty();
        SampleVerdict verdict = ruleset.run(context);

        assertThat(known.queries()).hasSize(2);
        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void aNewSampleOrARulesetNotStartingWithKnownHasNoEarlyAnswer() throws Exception {
        FakeKnownResults known = new FakeKnownResults();
        Ruleset startsWithKnown = new Ruleset(List.of(new KnownRule(known)), FakeFileTypeDetector.nothingDetected());
        assertThat(startsWithKnown.decideFromEarlierResults(startsWithKnown.newContext(sample))).isEmpty();

        known.add(sample.identity(), new KnownResults.StoredResult(5, Result.BAD, "evil", Instant.EPOCH));
        Ruleset knownSecond = new Ruleset(List.of(fixed(RuleResult.proceed("size", Result.UNKNOWN, "big")),
                new KnownRule(known)), FakeFileTypeDetector.nothingDetected());
        assertThat(knownSecond.decideFromEarlierResults(knownSecond.newContext(sample))).isEmpty();
    }

    @Test
    void aFailureOfAnOutageReportedElsewhereFailsTheSampleWithoutAWarningOfItsOwn() {
        Logger logger = (Logger) LoggerFactory.getLogger(Ruleset.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            SampleVerdict duringOutage = run(List.of(new ThrowingRule("known", new Outage(true))));
            SampleVerdict otherwise = run(List.of(new ThrowingRule("known", new Outage(false))));

            assertThat(duringOutage.result()).isEqualTo(Result.FAILED);
            assertThat(otherwise.result()).isEqualTo(Result.FAILED);
            assertThat(log.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN)).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage()).contains("database said no"));
        } finally {
            logger.detachAppender(log);
        }
    }

    private static final class Outage extends IOException implements OutageFailure {
        private static final long serialVersionUID = 1L;
        private final boolean reported;

        Outage(boolean reported) {
            super(reported ? "database unreachable" : "database said no");
            this.reported = reported;
        }

        @Override
        public boolean reportedAsOutage() {
            return reported;
        }
    }

    @Test
    void needsAtLeastOneRule() {
        assertThatThrownBy(() -> new Ruleset(List.of(), FakeFileTypeDetector.nothingDetected()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private SampleVerdict run(List<Rule> rules) {
        return new Ruleset(rules, FakeFileTypeDetector.nothingDetected()).run(sample, 17);
    }

    private static FixedRule fixed(RuleResult answer) {
        return new FixedRule(answer);
    }
}
