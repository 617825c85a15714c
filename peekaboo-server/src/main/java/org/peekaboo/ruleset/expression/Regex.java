package org.peekaboo.ruleset.expression;

import java.util.regex.Pattern;

/**
 * A {@code /…/} literal. Two regexes are equal when they are written alike, so that they
 * can be members of sets ({@link Pattern} itself compares by identity).
 */
public record Regex(String source, Pattern pattern) {

    /** Searches anywhere in {@code text}: the meaning of {@code in}. */
    public boolean search(String text) {
        return pattern.matcher(text).find();
    }

    /** Matches the whole of {@code text}: the meaning of {@code ==}. */
    public boolean fullMatch(String text) {
        return pattern.matcher(text).matches();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Regex regex && regex.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return "/" + source + "/";
    }
}
