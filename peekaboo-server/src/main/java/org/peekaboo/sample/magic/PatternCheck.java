package org.peekaboo.sample.magic;

import java.io.CharArrayWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test a {@code <match>} element of Tika's database makes on the first bytes of a
 * file: a byte pattern (optionally masked, optionally ASCII case-blind) or a regular
 * expression, tried at every start in an offset range.
 *
 * <p>The answer is exactly the one Tika's {@code MagicDetector} gives for the same bytes,
 * including its corner cases, which decide real files: the content is looked at through a
 * window of {@code pattern length + range} bytes that Tika fills with zeros past the end of
 * the file, so a pattern ending in zero bytes can match across the end of a short file, and
 * a regular expression sees a region of {@value #REGEX_WINDOW} characters of which the part
 * beyond the file is NUL characters. A byte pattern needs its first window to lie within the
 * file; a regular expression only needs the file to reach the start of the range.
 *
 * <p>What makes it cheap is what it leaves out: no window is copied (the content is read in
 * place and the zeros are implied), starts beyond the end of the file are not tried one by
 * one (all their windows are the same zeros, whose answer is known when the test is built),
 * the expression is compiled once, and starts whose first byte cannot begin a match are
 * skipped. Immutable and thread-safe.
 */
final class PatternCheck {
    /** How many characters Tika lets a regular expression see from each start. */
    static final int REGEX_WINDOW = 8192;

    /** Ranges at least this wide look their starts up in the index rather than walk. */
    private static final int INDEXED_RANGE = 16;
    /** Tests that may open with more byte values than this walk their range. */
    private static final int MAX_INDEXED_VALUES = 4;

    private final int id;
    private final int begin;
    private final int end;
    private final byte[] pattern;
    private final byte[] mask;
    private final boolean ignoreCase;
    private final Pattern regex;
    /** For byte patterns the bytes that can open a match, for expressions the characters; null: any. */
    private final boolean[] opening;
    /**
     * For tests with a wide range and few opening bytes, those bytes: their starts are
     * looked up in the probe's index instead of walking the range. Null for the others.
     */
    private final int[] openingValues;
    /** The answer for windows that lie wholly beyond the end of the file, i.e. all zeros. */
    private final boolean zerosMatch;

    private PatternCheck(int id, Spec spec) {
        this.id = id;
        this.begin = spec.begin;
        this.end = spec.end;
        this.pattern = spec.pattern;
        this.mask = spec.mask;
        this.ignoreCase = spec.ignoreCase;
        if (spec.regex) {
            int flags = ignoreCase ? Pattern.CASE_INSENSITIVE : 0;
            this.regex = Pattern.compile(new String(pattern, StandardCharsets.UTF_8), flags);
            this.opening = RegexOpening.firstChars(regex);
            Matcher zeros = regex.matcher(new ContentChars(new byte[0], 0, 0, REGEX_WINDOW));
            this.zerosMatch = zeros.lookingAt();
        } else {
            this.regex = null;
            this.opening = pattern.length == 0 ? null : openingBytes();
            boolean allZero = true;
            for (byte b : pattern) {
                allZero &= b == 0;
            }
            this.zerosMatch = allZero;
        }
        this.openingValues = end - begin >= INDEXED_RANGE ? fewValues(opening) : null;
    }

    private static int[] fewValues(boolean[] table) {
        if (table == null) {
            return null;
        }
        int[] values = new int[256];
        int count = 0;
        for (int value = 0; value < 256; value++) {
            if (table[value]) {
                values[count++] = value;
            }
        }
        return count <= MAX_INDEXED_VALUES ? Arrays.copyOf(values, count) : null;
    }

    int id() {
        return id;
    }

    /** Tika's length of the test: the pattern's or the mask's, whichever is longer. */
    int patternLength() {
        return pattern.length;
    }

    int minLength() {
        return regex != null ? begin : begin + pattern.length;
    }

    /** The first bytes of content this test can match, when it only looks at offset 0. */
    ByteSet firstBytes() {
        if (begin != 0 || end != 0 || opening == null) {
            return null;
        }
        return ByteSet.of(value -> opening[value]);
    }

    /** True when this test finds its starts through the probe's index of opening bytes. */
    boolean indexed() {
        return openingValues != null;
    }

    /** The byte values that open a match, when they are few; else null. */
    int[] openingValues() {
        return openingValues == null ? null : openingValues.clone();
    }

    /** The first start this test may try. */
    int begin() {
        return begin;
    }

    /** The last start this test may try. */
    int end() {
        return end;
    }

    boolean isRegex() {
        return regex != null;
    }

    boolean ignoresCase() {
        return ignoreCase;
    }

    /** The pattern as compared, i.e. already masked; for tests that build matching content. */
    byte[] maskedPattern() {
        return pattern.clone();
    }

    boolean evaluate(Probe probe) {
        return regex != null ? evaluateRegex(probe) : evaluateBytes(probe);
    }

    private boolean evaluateBytes(Probe probe) {
        byte[] data = probe.data;
        int length = probe.length;
        int size = pattern.length;
        if (length < begin + size) {
            return false; // Tika wants the first window within the file
        }
        if (size == 0) {
            return true;
        }
        int lastWhole = Math.min(end, length - size);
        int lastInFile = Math.min(end, length - 1);
        if (openingValues != null) {
            for (int value : openingValues) {
                int[] starts = probe.positions(value);
                int count = probe.count(value);
                for (int k = firstAtLeast(starts, count, begin); k < count && starts[k] <= lastInFile; k++) {
                    int start = starts[k];
                    if (start <= lastWhole ? restMatches(data, start) : matchesPadded(data, length, start)) {
                        return true;
                    }
                }
            }
        } else {
            for (int start = begin; start <= lastWhole; start++) {
                if (opening[data[start] & 0xFF] && restMatches(data, start)) {
                    return true;
                }
            }
            for (int start = Math.max(begin, lastWhole + 1); start <= lastInFile; start++) {
                if (matchesPadded(data, length, start)) {
                    return true;
                }
            }
        }
        return end >= length && zerosMatch;
    }

    private boolean restMatches(byte[] data, int start) {
        for (int j = 1; j < pattern.length; j++) {
            if (!byteMatches(data[start + j], j)) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesPadded(byte[] data, int length, int start) {
        for (int j = 0; j < pattern.length; j++) {
            byte b = start + j < length ? data[start + j] : 0;
            if (!byteMatches(b, j)) {
                return false;
            }
        }
        return true;
    }

    /** Tika's comparison: masked, then lower-cased as an int, so only ASCII letters fold. */
    private boolean byteMatches(byte b, int j) {
        int masked = b & mask[j];
        if (ignoreCase && masked >= 'A' && masked <= 'Z') {
            masked += 'a' - 'A';
        }
        return masked == pattern[j];
    }

    private boolean[] openingBytes() {
        boolean[] table = new boolean[256];
        for (int value = 0; value < 256; value++) {
            table[value] = byteMatches((byte) value, 0);
        }
        return table;
    }

    private boolean evaluateRegex(Probe probe) {
        byte[] data = probe.data;
        int length = probe.length;
        if (length < begin) {
            return false;
        }
        int windowLength = REGEX_WINDOW + (end - begin);
        int inFile = Math.min(length - begin, windowLength);
        int lastInFile = Math.min(end - begin, inFile - 1);
        Matcher matcher = null;
        if (openingValues != null) {
            for (int value : openingValues) {
                int[] starts = probe.positions(value);
                int count = probe.count(value);
                for (int k = firstAtLeast(starts, count, begin); k < count && starts[k] - begin <= lastInFile; k++) {
                    if (matcher == null) {
                        matcher = regex.matcher(new ContentChars(data, begin, inFile, windowLength));
                    }
                    if (lookingAt(matcher, starts[k] - begin)) {
                        return true;
                    }
                }
            }
        } else {
            for (int start = 0; start <= lastInFile; start++) {
                if (opening != null && !opening[data[begin + start] & 0xFF]) {
                    continue;
                }
                if (matcher == null) {
                    matcher = regex.matcher(new ContentChars(data, begin, inFile, windowLength));
                }
                if (lookingAt(matcher, start)) {
                    return true;
                }
            }
        }
        // Starts from inFile on see nothing but zeros, all alike.
        return end - begin >= inFile && zerosMatch;
    }

    private static boolean lookingAt(Matcher matcher, int start) {
        matcher.region(start, start + REGEX_WINDOW);
        return matcher.lookingAt();
    }

    private static int firstAtLeast(int[] sorted, int count, int value) {
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Reads the attributes of a {@code <match>} element the way Tika does. Throws what Tika
     * would throw for the same attributes, so a database Tika refuses is refused here too.
     */
    static Spec parse(String kind, String offset, String value, String mask) {
        int begin = 0;
        int end = 0;
        if (offset != null) {
            int colon = offset.indexOf(':');
            if (colon == -1) {
                begin = Integer.parseInt(offset);
                end = begin;
            } else {
                begin = Integer.parseInt(offset.substring(0, colon));
                end = Integer.parseInt(offset.substring(colon + 1));
            }
        }
        byte[] patternBytes = decodeValue(value, kind);
        byte[] maskBytes = mask == null ? null : decodeValue(mask, kind);
        if (patternBytes == null) {
            throw new IllegalArgumentException("Magic match pattern is null: " + kind + " " + value);
        }
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("Invalid offset range: " + offset);
        }
        int length = Math.max(patternBytes.length, maskBytes == null ? 0 : maskBytes.length);
        byte[] fullMask = new byte[length];
        byte[] maskedPattern = new byte[length];
        for (int i = 0; i < length; i++) {
            fullMask[i] = maskBytes != null && i < maskBytes.length ? maskBytes[i] : (byte) 0xFF;
            maskedPattern[i] = i < patternBytes.length ? (byte) (patternBytes[i] & fullMask[i]) : 0;
        }
        return new Spec("regex".equals(kind), "stringignorecase".equals(kind), begin, end, maskedPattern, fullMask);
    }

    private static byte[] decodeValue(String value, String kind) {
        if (value == null || kind == null) {
            return null;
        }
        boolean hex = value.startsWith("0x");
        String digits = hex ? value.substring(2) : value;
        int radix = hex ? 16 : 8; // Tika reads numbers without 0x as octal
        return switch (kind) {
            case "string", "regex", "unicodeLE", "unicodeBE" -> decodeString(value, kind);
            case "stringignorecase" -> decodeString(value.toLowerCase(Locale.ROOT), kind);
            case "byte" -> digits.getBytes(StandardCharsets.UTF_8);
            case "host16", "little16" -> {
                int n = Integer.parseInt(digits, radix);
                yield new byte[] {(byte) n, (byte) (n >> 8)};
            }
            case "big16" -> {
                int n = Integer.parseInt(digits, radix);
                yield new byte[] {(byte) (n >> 8), (byte) n};
            }
            case "host32", "little32" -> {
                long n = Long.parseLong(digits, radix);
                yield new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)};
            }
            case "big32" -> {
                long n = Long.parseLong(digits, radix);
                yield new byte[] {(byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n};
            }
            default -> null;
        };
    }

    /**
     * Tika's string syntax: {@code 0x} and hex digits, or text with the escapes
     * {@code \\ \xHH \r \n} and up to three octal digits (a backslash before anything else
     * stands for a NUL byte, which is what Tika makes of it, even inside expressions).
     */
    private static byte[] decodeString(String value, String kind) {
        if (value.startsWith("0x")) {
            byte[] bytes = new byte[(value.length() - 2) / 2];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Integer.parseInt(value.substring(2 + i * 2, 4 + i * 2), 16);
            }
            return bytes;
        }
        CharArrayWriter decoded = new CharArrayWriter();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                decoded.write(c);
                continue;
            }
            char next = value.charAt(i + 1);
            if (next == '\\') {
                decoded.write('\\');
                i++;
            } else if (next == 'x') {
                decoded.write(Integer.parseInt(value.substring(i + 2, i + 4), 16));
                i += 3;
            } else if (next == 'r') {
                decoded.write('\r');
                i++;
            } else if (next == 'n') {
                decoded.write('\n');
                i++;
            } else {
                int j = i + 1;
                while (j < i + 4 && j < value.length() && Character.isDigit(value.charAt(j))) {
                    j++;
                }
                // A byte, sign and all, becomes a char: \377 is U+FFFF, as with Tika.
                decoded.write(Short.decode("0" + value.substring(i + 1, j)).byteValue());
                i = j - 1;
            }
        }
        char[] chars = decoded.toCharArray();
        byte[] bytes;
        if ("unicodeLE".equals(kind)) {
            bytes = new byte[chars.length * 2];
            for (int i = 0; i < chars.length; i++) {
                bytes[i * 2] = (byte) chars[i];
                bytes[i * 2 + 1] = (byte) (chars[i] >> 8);
            }
        } else if ("unicodeBE".equals(kind)) {
            bytes = new byte[chars.length * 2];
            for (int i = 0; i < chars.length; i++) {
                bytes[i * 2] = (byte) (chars[i] >> 8);
                bytes[i * 2 + 1] = (byte) chars[i];
            }
        } else {
            bytes = new byte[chars.length];
            for (int i = 0; i < chars.length; i++) {
                bytes[i] = (byte) chars[i];
            }
        }
        return bytes;
    }

    /**
     * What a test does, apart from which element it came from; equal specs make equal
     * tests, so one check serves all of them.
     */
    static final class Spec {
        final boolean regex;
        final boolean ignoreCase;
        final int begin;
        final int end;
        final byte[] pattern;
        final byte[] mask;
        private final String key;

        private Spec(boolean regex, boolean ignoreCase, int begin, int end, byte[] pattern, byte[] mask) {
            this.regex = regex;
            this.ignoreCase = ignoreCase;
            this.begin = begin;
            this.end = end;
            this.pattern = pattern;
            this.mask = mask;
            HexFormat hex = HexFormat.of();
            this.key = (regex ? "r" : ignoreCase ? "i" : "b") + begin + ":" + end + ":" + hex.formatHex(pattern)
                    + ":" + hex.formatHex(mask);
        }

        String key() {
            return key;
        }

        PatternCheck build(int id) {
            return new PatternCheck(id, this);
        }
    }
}
