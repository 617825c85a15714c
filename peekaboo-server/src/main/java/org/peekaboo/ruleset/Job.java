package org.peekaboo.ruleset;

import org.peekaboo.verdict.SampleVerdict;

/**
 * The stored analysis a judgement belongs to. The engine may record it only when something
 * needs its id: most analyses end within milliseconds and are then written once, finished.
 */
public interface Job {
    /** A judgement outside any stored analysis (checks, tests). */
    Job NONE = fixed(SampleVerdict.NO_JOB);

    /**
     * The job's id, recording the start of the analysis now if that has not happened yet.
     *
     * @throws RuntimeException when the start cannot be recorded (the rule asking then fails)
     */
    long id();

    /** The id if the start is recorded, else {@link SampleVerdict#NO_JOB}; records nothing. */
    long idSoFar();

    /** A job recorded already, as {@code id}. */
    static Job fixed(long id) {
        return new Job() {
            @Override
            public long id() {
                return id;
            }

            @Override
            public long idSoFar() {
                return id;
            }
        };
    }
}
