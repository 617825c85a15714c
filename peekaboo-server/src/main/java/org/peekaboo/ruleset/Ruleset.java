package org.peekaboo.ruleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered rules. Each sample runs through them until one says stop; the verdict is
 * the worst result seen. A rule that throws ends the run with {@code failed}, so a broken
 * rule can hold mail back but never let it through.
 */
public final class Ruleset {
    private static final Logger LOG = LoggerFactory.getLogger(Ruleset.class);

    private final List<Rule> rules;
    private final FileTypeDetector fileTypeDetector;
    /** How many rules at the start only read earlier results; see {@link #decideFromEarlierResults}. */
    private final int leadingLookups;

    public Ruleset(List<Rule> rules, FileTypeDetector fileTypeDetector) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a ruleset needs at least one rule");
        }
        this.rules = List.copyOf(rules);
        this.fileTypeDetector = Objects.requireNonNull(fileTypeDetector, "fileTypeDetector");
        int lookups = 0;
        while (lookups < this.rules.size() && this.rules.get(lookups).readsOnlyEarlierResults()) {
            lookups++;
        }
        this.leadingLookups = lookups;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** A fresh context for judging {@code sample} with this ruleset. */
    public SampleContext newContext(Sample sample) {
        return new SampleContext(sample, SampleVerdict.NO_JOB, fileTypeDetector);
    }

    /**
     * The verdict of the rules at the start of the ruleset that only read earlier results (the
     * {@code known} rule), if one of them decides the sample: then it needs neither a lock nor an
     * analysis of its own. What they looked up stays in {@code context}, so that {@link #run}
     * does not ask again. Empty when no such rule decides, or when one fails: the full run asks
     * again and fails closed.
     */
    public Optional<SampleVerdict> decideFromEarlierResults(SampleContext context) {
        List<RuleResult> report = new ArrayList<>(leadingLookups);
        for (int i = 0; i < leadingLookups; i++) {
            Rule rule = rules.get(i);
            RuleResult result;
            try {
                result = rule.evaluate(context);
            } catch (Exception e) {
                LOG.debug("Rule {} could not look up sample {} before its analysis: {}", rule.name(),
                        context.sample().sha256(), e.toString());
                return Optional.empty();
            }
            report.add(result);
            if (!result.furtherAnalysis()) {
                return Optional.of(SampleVerdict.of(report, SampleVerdict.NO_JOB));
            }
        }
        return Optional.empty();
    }

    /** Judges one sample outside an engine (checks, tests). Never throws. */
    public SampleVerdict run(Sample sample, long jobId) {
        SampleContext context = newContext(sample);
        context.analysedAs(jobId, ExternalWaits.DIRECT);
        return run(context);
    }

    /** Judges the sample of {@code context}, as its job. Never throws: every failure becomes a {@code failed} verdict. */
    public SampleVerdict run(SampleContext context) {
        List<RuleResult> report = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            RuleResult result = evaluate(rule, context);
            report.add(result);
            if (!result.furtherAnalysis()) {
                break;
            }
        }
        return SampleVerdict.of(report, context.jobIdSoFar());
    }

    private static RuleResult evaluate(Rule rule, SampleContext context) {
        try {
            RuleResult result = rule.evaluate(context);
            if (result == null) {
                throw new IllegalStateException("rule returned no result");
            }
            return result;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            if (e instanceof InterruptedException) {
                // Shutdown interrupted the analysis: the sample fails, and its thread must still see why.
                Thread.currentThread().interrupt();
            }
            if (e instanceof OutageFailure outage && outage.reportedAsOutage()) {
                LOG.debug("Rule {} failed on sample {} during an outage: {}", rule.name(), context.sample().sha256(),
                        e.toString());
            } else {
                // One line per failure: a corrupt document is no reason for forty lines of stack at WARN.
                LOG.warn("Rule {} failed on sample {}: {}", rule.name(), context.sample().sha256(), e.toString());
                LOG.debug("Rule {} failed on sample {}", rule.name(), context.sample().sha256(), e);
            }
            return RuleResult.stop(rule.name(), Result.FAILED, "Rule aborted with error: " + e);
        }
    }
}
