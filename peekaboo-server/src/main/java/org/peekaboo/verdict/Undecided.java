package org.peekaboo.verdict;

import java.util.List;
import java.util.Objects;

/**
 * Why a sample got no verdict from the rules. Each reason is reported under a pseudo rule name,
 * so that clients, logs and the store show it the way they show a rule's, and with a result that
 * can never pass a mail: {@code unchecked} where asking again later may help, {@code failed}
 * where something broke. Front ends map these verdicts to their wire words like any other.
 */
public enum Undecided {
    /** The client's deadline passed while the sample was still being judged; the analysis goes on. */
    DEADLINE("deadline", Result.UNCHECKED, "Analysis is still running after %s; the result will be stored for the retry"),
    /** The sample could not have been judged within its deadline: too much work is waiting. */
    OVERLOAD("overload", Result.UNCHECKED, "Peekaboo is overloaded (%s); try again later"),
    /** Peekaboo stops and does not start or finish this analysis. */
    SHUTDOWN("shutdown", Result.UNCHECKED, "Peekaboo is shutting down; try again later"),
    /** The file could not be read. */
    INPUT("input", Result.FAILED, "The file could not be read: %s"),
    /** The file is larger than Peekaboo reads ({@code [analysis] max_sample_size}); it was not read. */
    TOO_LARGE("size", Result.UNCHECKED, "The file is too large to be analysed: %s"),
    /** The analysis could not be recorded in the store. */
    STORE("store", Result.FAILED, "The analysis could not be recorded: %s"),
    /** The sample's lock could not be taken. */
    LOCK("lock", Result.FAILED, "The sample could not be locked for analysis: %s"),
    /** The engine itself failed while judging the sample. */
    CRASH("engine", Result.FAILED, "Analysis aborted with error: %s"),
    /** A front end could not get the sample judged at all. */
    INTERNAL("internal", Result.FAILED, "Internal error, the file could not be scanned"),
    /** No rule ran, or every rule went on without a result. */
    NO_RULE("none", Result.UNCHECKED, "No rule has decided");

    private final String rule;
    private final Result result;
    private final String text;
    /** The verdict without details, made once: the engine hands it out for every sample it gives up. */
    private final SampleVerdict plain;

    Undecided(String rule, Result result, String text) {
        this.rule = rule;
        this.result = result;
        this.text = text;
        this.plain = new SampleVerdict(result, rule, reason(null), List.of(), SampleVerdict.NO_JOB);
    }

    /** The pseudo rule name under which this reason is reported. */
    public String rule() {
        return rule;
    }

    /** {@code unchecked} or {@code failed}: never a result that passes a mail. */
    public Result result() {
        return result;
    }

    /** The sentence for people; {@code detail} fills in what the reason's text leaves open. */
    public String reason(String detail) {
        return text.contains("%s") ? text.formatted(Objects.requireNonNullElse(detail, "unknown")) : text;
    }

    /** The reason of a text without details. */
    public String reason() {
        return reason(null);
    }

    /** A verdict without rule results for a sample that this reason left undecided. */
    public SampleVerdict verdict(String detail) {
        return new SampleVerdict(result, rule, reason(detail), List.of(), SampleVerdict.NO_JOB);
    }

    public SampleVerdict verdict() {
        return plain;
    }

    /** This reason as the last entry of a report whose rules did run, e.g. when their result could not be stored. */
    public RuleResult ruleResult(String detail) {
        return RuleResult.stop(rule, result, reason(detail));
    }
}
