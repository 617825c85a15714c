package org.peekaboo.ruleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.Result;
import org.peekaboo.sample.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered rules. Each sample runs through them until one says stop; the verdict is
 * the worst result seen. A rule that throws ends the run with {@code failed}, so a broken
 * rule can hold mail back but never let it through.
 */
public final class Ruleset {
    /** The pseudo rule name under which engine failures are reported. */
    public static final String ENGINE = "ruleset";

    /** A job id no stored analysis has: the database counts from 1. */
    private static final long NO_JOB = 0;

    private static final Logger LOG = LoggerFactory.getLogger(Ruleset.class);

    private final List<Rule> rules;
    private final FileTypeDetector fileTypeDetector;

    public Ruleset(List<Rule> rules, FileTypeDetector fileTypeDetector) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a ruleset needs at least one rule");
        }
        this.rules = List.copyOf(rules);
        this.fileTypeDetector = Objects.requireNonNull(fileTypeDetector, "fileTypeDetector");
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * What the ruleset's leading {@code known} rule says about {@code sample}, if it decides
     * the sample: a sample answered from an earlier result needs neither a lock nor a running
     * analysis. Empty when the ruleset does not start with {@code known} or the sample is new.
     *
     * @throws Exception if the earlier results cannot be read
     */
    public Optional<RuleResult> answerFromKnownResults(Sample sample) throws Exception {
        if (!(rules.getFirst() instanceof KnownRule known)) {
            return Optional.empty();
        }
        RuleResult result = known.evaluate(new SampleContext(sample, NO_JOB, fileTypeDetector));
        return result.furtherAnalysis() ? Optional.empty() : Optional.of(result);
    }

    /** Judges one sample. Never throws: every failure becomes a {@code failed} verdict. */
    public SampleVerdict run(Sample sample, long jobId) {
        return run(sample, jobId, ExternalWaits.DIRECT);
    }

    /** Judges one sample; rules wait for external work through {@code externalWaits}. Never throws. */
    public SampleVerdict run(Sample sample, long jobId, ExternalWaits externalWaits) {
        SampleContext context = new SampleContext(sample, jobId, fileTypeDetector, externalWaits);
        List<RuleResult> report = new ArrayList<>(rules.size());
        for (Rule rule : rules) {
            RuleResult result = evaluate(rule, context);
            report.add(result);
            if (!result.furtherAnalysis()) {
                break;
            }
        }
        return SampleVerdict.of(report, jobId);
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
                // Shutdown interrupted the analysis: the sample fails, and the worker must still see why.
                Thread.currentThread().interrupt();
            }
            if (e instanceof OutageFailure outage && outage.reportedAsOutage()) {
                LOG.debug("Rule {} failed on sample {} during an outage: {}", rule.name(), context.sample().sha256(),
                        e.toString());
            } else {
                LOG.warn("Rule {} failed on sample {}: {}", rule.name(), context.sample().sha256(), e.toString(), e);
            }
            return RuleResult.stop(rule.name(), Result.FAILED, "Rule aborted with error: " + e);
        }
    }
}
