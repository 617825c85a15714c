package org.peekaboo.verdict;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * What the line protocol tells the mail filter, in ascending order of severity. The six
 * results collapse into three answers because amavis only distinguishes clean, infected
 * and "scanner failed" (which it tempfails): anything undecided must never read as clean.
 */
public enum Verdict {
    GOOD,
    UNCHECKED,
    BAD;

    public static Verdict of(Result result) {
        return switch (result) {
            case BAD -> BAD;
            case UNKNOWN, IGNORED, GOOD -> GOOD;
            case UNCHECKED, FAILED -> UNCHECKED;
        };
    }

    /**
     * The verdict for a collection of files: bad if any is bad, else unchecked if any is
     * unchecked, else good. An empty collection is unchecked: nothing judged is not clean.
     */
    public static Verdict worst(Collection<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return UNCHECKED;
        }
        Verdict worst = GOOD;
        for (Verdict verdict : verdicts) {
            if (verdict.compareTo(worst) > 0) {
                worst = verdict;
            }
        }
        return worst;
    }

    /** The word used on the wire. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire label exactly (lower case); empty for anything else. */
    public static Optional<Verdict> parse(String label) {
        for (Verdict verdict : values()) {
            if (verdict.label().equals(label)) {
                return Optional.of(verdict);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label();
    }
}
