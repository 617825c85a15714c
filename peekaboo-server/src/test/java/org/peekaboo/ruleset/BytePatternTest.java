package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BytePatternTest {

    @ParameterizedTest
    @CsvSource({
            "aab, aaab, true",
            "abab, abaabab, true",
            "abcabd, abcabcabd, true",
            "aaaa, aaabaaa, false",
            "needle, haystack, false",
            "x, x, true",
            "long pattern, long, false",
    })
    void handlesPartialMatchesThatOverlap(String pattern, String text, boolean found) throws IOException {
        for (int bufferSize = 1; bufferSize <= text.length() + 1; bufferSize++) {
            assertThat(search(pattern.getBytes(StandardCharsets.US_ASCII), text.getBytes(StandardCharsets.US_ASCII),
                    bufferSize)).as("buffer of %d bytes", bufferSize).isEqualTo(found);
        }
    }

    @Test
    void findsAMatchAtEveryPositionWithEveryBufferSize() throws IOException {
        byte[] pattern = ContainsPeekabooYarRule.MARKER.getBytes(StandardCharsets.US_ASCII);
        for (int position = 0; position <= 40; position++) {
            byte[] text = new byte[position + pattern.length + 3];
            System.arraycopy(pattern, 0, text, position, pattern.length);
            for (int bufferSize = 1; bufferSize <= text.length; bufferSize++) {
                assertThat(search(pattern, text, bufferSize))
                        .as("marker at %d, buffer of %d bytes", position, bufferSize).isTrue();
            }
        }
    }

    @Test
    void agreesWithANaiveSearchOnRandomInput() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            // A two-letter alphabet makes overlapping partial matches the rule, not the exception.
            byte[] pattern = randomBytes(random, 1 + random.nextInt(6));
            byte[] text = randomBytes(random, random.nextInt(40));
            int bufferSize = 1 + random.nextInt(8);

            assertThat(search(pattern, text, bufferSize))
                    .as("pattern %s in %s", new String(pattern, StandardCharsets.US_ASCII),
                            new String(text, StandardCharsets.US_ASCII))
                    .isEqualTo(naiveContains(text, pattern));
        }
    }

    @Test
    void refusesAnEmptyPattern() {
        assertThatThrownBy(() -> new BytePattern(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean search(byte[] pattern, byte[] text, int bufferSize) throws IOException {
        return new BytePattern(pattern).isFoundIn(new ByteArrayInputStream(text), new byte[bufferSize]);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (random.nextBoolean() ? 'a' : 'b');
        }
        return bytes;
    }

    private static boolean naiveContains(byte[] text, byte[] pattern) {
        outer:
        for (int start = 0; start + pattern.length <= text.length; start++) {
            for (int i = 0; i < pattern.length; i++) {
                if (text[start + i] != pattern[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
