package org.peekaboo.sample.magic;

import java.util.Arrays;

/**
 * The content under examination during one detection, with what has been learnt about it
 * so far. Confined to the detecting thread; one per detection.
 *
 * <p>Two things are remembered. The result of each test: several rules share one (the
 * OLE2 or ZIP signature heads dozens of them), and each is worth making once. And where
 * each byte value that opens a ranged pattern occurs: some forty patterns look for a line
 * break somewhere in the first 1,024 or 8,192 bytes ("\nContent-Type:", "\nReceived:" …),
 * and one pass that notes the line breaks (and the few other opening bytes) serves them
 * all, where each would otherwise walk the range on its own.
 */
final class Probe {
    private static final byte UNKNOWN = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;

    final byte[] data;
    final int length;
    private final byte[] results;
    private final OpeningIndex openings;
    private int[][] positions;
    private int[] counts;

    Probe(byte[] data, int testCount, OpeningIndex openings) {
        this.data = data;
        this.length = data.length;
        this.results = new byte[testCount];
        this.openings = openings;
    }

    boolean test(PatternCheck test) {
        byte known = results[test.id()];
        if (known != UNKNOWN) {
            return known == TRUE;
        }
        boolean result = test.evaluate(this);
        results[test.id()] = result ? TRUE : FALSE;
        return result;
    }

    /** Where {@code value} occurs, ascending, within the indexed start of the content. */
    int[] positions(int value) {
        if (positions == null) {
            collectPositions();
        }
        int[] found = positions[value];
        return found == null ? EMPTY : found;
    }

    /** How many of {@link #positions(int)} are valid. */
    int count(int value) {
        return counts[value];
    }

    private static final int[] EMPTY = new int[0];

    private void collectPositions() {
        int limit = Math.min(length, openings.extent());
        positions = new int[256][];
        counts = new int[256];
        for (int at = 0; at < limit; at++) {
            int value = data[at] & 0xFF;
            if (openings.wanted(value)) {
                int[] list = positions[value];
                int n = counts[value];
                if (list == null) {
                    list = positions[value] = new int[16];
                } else if (n == list.length) {
                    list = positions[value] = Arrays.copyOf(list, n * 2);
                }
                list[n] = at;
                counts[value] = n + 1;
            }
        }
    }

    /**
     * Which byte values are worth noting, and up to where: those that open the indexed
     * tests, up to the farthest start any of them may try. Immutable once built.
     */
    static final class OpeningIndex {
        private final boolean[] values = new boolean[256];
        private final int extent;

        OpeningIndex(Iterable<PatternCheck> checks) {
            int farthest = 0;
            for (PatternCheck check : checks) {
                int[] opening = check.openingValues();
                if (opening != null) {
                    for (int value : opening) {
                        values[value] = true;
                    }
                    farthest = Math.max(farthest, check.end() + 1);
                }
            }
            this.extent = farthest;
        }

        boolean wanted(int value) {
            return values[value];
        }

        int extent() {
            return extent;
        }
    }
}
