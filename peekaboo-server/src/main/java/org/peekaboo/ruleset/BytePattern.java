package org.peekaboo.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A byte string searched for in a stream with Knuth-Morris-Pratt: every byte is looked at
 * once, nothing is buffered beyond the caller's read buffer, and matches that straddle two
 * reads are found because the match state carries over. Immutable and thread-safe.
 */
final class BytePattern {
    private final byte[] pattern;
    /** For each prefix length, the length of its longest proper border (prefix that is also a suffix). */
    private final int[] border;

    BytePattern(byte[] pattern) {
        if (pattern.length == 0) {
            throw new IllegalArgumentException("an empty pattern is found everywhere and means nothing");
        }
        this.pattern = pattern.clone();
        this.border = borders(this.pattern);
    }

    /** Reads {@code in} to the end or to the first occurrence, using {@code buffer} for the reads. */
    boolean isFoundIn(InputStream in, byte[] buffer) throws IOException {
        int matched = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                while (matched > 0 && b != pattern[matched]) {
                    matched = border[matched - 1];
                }
                if (b == pattern[matched]) {
                    matched++;
                    if (matched == pattern.length) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static int[] borders(byte[] pattern) {
        int[] border = new int[pattern.length];
        int length = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (length > 0 && pattern[i] != pattern[length]) {
                length = border[length - 1];
            }
            if (pattern[i] == pattern[length]) {
                length++;
            }
            border[i] = length;
        }
        return border;
    }

    @Override
    public String toString() {
        return "BytePattern" + Arrays.toString(pattern);
    }
}
