package org.peekaboo.sample.magic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tika's last resort when no rule matches: content is {@code text/plain} if it is mostly
 * printable ASCII with hardly any control bytes, or looks like UTF-8 (lead and
 * continuation bytes in proportion), else {@code application/octet-stream}.
 *
 * <p>The verdict comes from byte counts over the whole head, so it costs a pass over up
 * to 64 KiB, the largest single cost of detecting a long text file. The counts are the
 * ones Tika's {@code TextStatistics} takes, but eight bytes at a time where all eight are
 * printable ASCII, which is nearly everywhere in text; other stretches are counted byte
 * by byte, and binary content is given up on as soon as the counts so far rule text out.
 */
final class TextCheck {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Added to bytes below 0x80, it sets their high bit exactly when they are at least 0x20. */
    private static final long PRINTABLE_OFFSET = 0x6060606060606060L;
    /** How often the counts are checked for a verdict that no later byte can change. */
    private static final int BLOCK = 4096;

    private TextCheck() {
    }

    static boolean looksLikeText(byte[] data, int length) {
        int[] counts = new int[256];
        int printable = 0;
        int at = 0;
        while (at < length) {
            int blockEnd = Math.min(length, at + BLOCK);
            for (; at + 8 <= blockEnd; at += 8) {
                long word = (long) LONGS.get(data, at);
                if ((word & HIGH_BITS) == 0 && ((word + PRINTABLE_OFFSET) & HIGH_BITS) == HIGH_BITS) {
                    printable += 8;
                } else {
                    for (int i = at; i < at + 8; i++) {
                        counts[data[i] & 0xFF]++;
                    }
                }
            }
            for (; at < blockEnd; at++) {
                counts[data[at] & 0xFF]++;
            }
            if (at < length && cannotBeText(counts, length)) {
                return false;
            }
        }
        int control = sum(counts, 0, 0x20);
        int ascii = printable + sum(counts, 0x20, 0x80);
        int safe = safeControls(counts);
        int unsafe = control - safe;
        boolean mostlyAscii = length > 0 && unsafe * 100 < length * 2 && (ascii + safe) * 100 > length * 90;
        return mostlyAscii || looksLikeUtf8(counts, ascii, unsafe);
    }

    /**
     * Counts only grow, so some partial counts already rule text out: too many control
     * bytes fail both tests; too many bytes that are neither printable ASCII nor safe
     * controls fail the ASCII test, and a byte from 0xF8 up fails the UTF-8 test.
     */
    private static boolean cannotBeText(int[] counts, int length) {
        int unsafe = sum(counts, 0, 0x20) - safeControls(counts);
        if (unsafe * 100 >= length * 2) {
            return true;
        }
        int notAscii = unsafe + sum(counts, 0x80, 0x100);
        return notAscii * 10 >= length && sum(counts, 0xF8, 0x100) > 0;
    }

    private static int safeControls(int[] counts) {
        return counts['\t'] + counts['\n'] + counts['\r'] + counts['\f'] + counts[0x1b];
    }

    private static boolean looksLikeUtf8(int[] counts, int ascii, int unsafe) {
        int lead2 = sum(counts, 0xC0, 0xE0);
        int lead3 = sum(counts, 0xE0, 0xF0);
        int lead4 = sum(counts, 0xF0, 0xF8);
        int utf8 = ascii + lead2 + lead3 + lead4;
        int expectedContinuations = lead2 + 2 * lead3 + 3 * lead4;
        int continuations = sum(counts, 0x80, 0xC0);
        return utf8 > 0
                && continuations <= expectedContinuations && continuations >= expectedContinuations - 3
                && sum(counts, 0xF8, 0x100) == 0
                && unsafe * 100 < utf8 * 2;
    }

    private static int sum(int[] counts, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += counts[i];
        }
        return sum;
    }
}
