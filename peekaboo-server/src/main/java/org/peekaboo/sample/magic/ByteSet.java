package org.peekaboo.sample.magic;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * A set of byte values (0–255), used to index rules by the content's first byte. Null
 * stands for "every byte" wherever a set is optional, so that unknown never prunes.
 */
record ByteSet(long w0, long w1, long w2, long w3) {

    static ByteSet of(IntPredicate member) {
        long[] words = new long[4];
        for (int value = 0; value < 256; value++) {
            if (member.test(value)) {
                words[value >>> 6] |= 1L << value;
            }
        }
        return new ByteSet(words[0], words[1], words[2], words[3]);
    }

    boolean contains(int value) {
        long word = switch (value >>> 6) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            default -> w3;
        };
        return (word & (1L << value)) != 0;
    }

    static ByteSet intersection(ByteSet a, ByteSet b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new ByteSet(a.w0 & b.w0, a.w1 & b.w1, a.w2 & b.w2, a.w3 & b.w3);
    }

    static ByteSet union(List<ByteSet> sets) {
        long w0 = 0;
        long w1 = 0;
        long w2 = 0;
        long w3 = 0;
        for (ByteSet set : sets) {
            if (set == null) {
                return null;
            }
            w0 |= set.w0;
            w1 |= set.w1;
            w2 |= set.w2;
            w3 |= set.w3;
        }
        return new ByteSet(w0, w1, w2, w3);
    }
}
