package org.peekaboo.verdict;

import java.util.Locale;
import java.util.Optional;

/**
 * What the ruleset concluded about a sample, in ascending order of severity.
 * The order is the one PeekabooAV uses everywhere: a sample's result is the worst
 * result of the rules that ran, and {@code bad} outranks {@code failed}.
 */
public enum Result {
    /** Nothing decided yet; never produced by a rule. */
    UNCHECKED,
    /** Nothing found. */
    UNKNOWN,
    /** Deliberately not analysed. */
    IGNORED,
    /** Explicitly good. */
    GOOD,
    /** The analysis could not be completed. */
    FAILED,
    /** Malicious. */
    BAD;

    /** The name used in configuration, reports and the database. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isWorseThan(Result other) {
        return compareTo(other) > 0;
    }

    public static Result worst(Result a, Result b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Parses a result label case-insensitively; empty for anything else. */
    public static Optional<Result> parse(String label) {
        if (label == null) {
            return Optional.empty();
        }
        for (Result result : values()) {
            if (result.label().equalsIgnoreCase(label.trim())) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label();
    }
}
