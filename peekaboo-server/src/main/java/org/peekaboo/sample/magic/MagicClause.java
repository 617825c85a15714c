package org.peekaboo.sample.magic;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One condition of a magic rule, shaped like the {@code <match>} tree of Tika's database:
 * a single test, a test whose nested matches must also hold, any of several nested
 * matches, or at least {@code min} of them.
 *
 * <p>{@link #size()} and {@link #tikaText()} exist only because Tika orders rules of equal
 * priority by them; see {@link MagicRule#TIKA_ORDER}.
 */
sealed interface MagicClause permits MagicTest, MagicClause.AllOf, MagicClause.AnyOf, MagicClause.AtLeast {

    boolean matches(Probe probe);

    /** Tika's "size" of the clause: pattern bytes, summed over AND, the largest of OR. */
    int size();

    /** The clause as Tika writes it in the tie-breaking key of a rule. */
    String tikaText();

    /** The shortest content this clause can match; shorter content is rejected without a look. */
    int minLength();

    /** Which first bytes of the content can satisfy the clause; null when any can. */
    ByteSet firstBytes();

    /** A test with nested matches: the test and then its children (one, or any of several). */
    record AllOf(MagicClause first, MagicClause then) implements MagicClause {
        @Override
        public boolean matches(Probe probe) {
            return first.matches(probe) && then.matches(probe);
        }

        @Override
        public int size() {
            return first.size() + then.size();
        }

        @Override
        public String tikaText() {
            return "and[" + first.tikaText() + ", " + then.tikaText() + "]";
        }

        @Override
        public int minLength() {
            return Math.max(first.minLength(), then.minLength());
        }

        @Override
        public ByteSet firstBytes() {
            return ByteSet.intersection(first.firstBytes(), then.firstBytes());
        }
    }

    record AnyOf(List<MagicClause> clauses) implements MagicClause {
        public AnyOf {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(Probe probe) {
            for (MagicClause clause : clauses) {
                if (clause.matches(probe)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int size() {
            return clauses.stream().mapToInt(MagicClause::size).max().orElse(0);
        }

        @Override
        public String tikaText() {
            return "or" + listText(clauses);
        }

        @Override
        public int minLength() {
            return clauses.stream().mapToInt(MagicClause::minLength).min().orElse(0);
        }

        @Override
        public ByteSet firstBytes() {
            return ByteSet.union(clauses.stream().map(MagicClause::firstBytes).toList());
        }
    }

    /** Tika's {@code minShouldMatch}: at least {@code min} of the nested matches hold. */
    record AtLeast(int min, List<MagicClause> clauses) implements MagicClause {
        public AtLeast {
            clauses = List.copyOf(clauses);
            // Tika refuses these when it builds its rules; so does this.
            if (clauses.isEmpty() || min <= 0 || min > clauses.size()) {
                throw new IllegalArgumentException("minShouldMatch " + min + " of " + clauses.size() + " matches");
            }
        }

        @Override
        public boolean matches(Probe probe) {
            int matched = 0;
            for (MagicClause clause : clauses) {
                if (clause.matches(probe) && ++matched >= min) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int size() {
            return clauses.stream().mapToInt(MagicClause::size).max().orElse(0);
        }

        @Override
        public String tikaText() {
            return "minShouldMatch (min: " + min + ") " + listText(clauses);
        }

        @Override
        public int minLength() {
            return clauses.stream().mapToInt(MagicClause::minLength).min().orElse(0);
        }

        @Override
        public ByteSet firstBytes() {
            // At least one nested match holds, so the first byte suits at least one of them.
            return ByteSet.union(clauses.stream().map(MagicClause::firstBytes).toList());
        }
    }

    private static String listText(List<MagicClause> clauses) {
        return clauses.stream().map(MagicClause::tikaText).collect(Collectors.joining(", ", "[", "]"));
    }
}
