package org.peekaboo.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human units for sizes and durations, both ways: what operators write and what messages show. */
final class Units {
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");
    private static final Map<String, Long> SIZE_FACTORS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", KIB), Map.entry("kib", KIB), Map.entry("kb", 1000L),
            Map.entry("m", MIB), Map.entry("mib", MIB), Map.entry("mb", 1000L * 1000),
            Map.entry("g", GIB), Map.entry("gib", GIB), Map.entry("gb", 1000L * 1000 * 1000));

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    static final String SIZE_SYNTAX = "a whole number of bytes, optionally with unit K, M, G (1024-based,"
            + " also KiB, MiB, GiB) or KB, MB, GB (1000-based), e.g. 25M";
    static final String DURATION_SYNTAX = "a whole number with unit ms, s, m, h or d (plain number = seconds), e.g. 30s";

    private Units() {
    }

    /** The size in bytes, or empty if the text is no size (including one too large for a long). */
    static OptionalLong parseSize(String text) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        Long factor = SIZE_FACTORS.get(matcher.group(2).toLowerCase(Locale.ROOT));
        if (factor == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Math.multiplyExact(Long.parseLong(matcher.group(1)), factor));
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            return OptionalLong.empty();
        }
    }

    /** The shortest exact form using 1024-based units, e.g. {@code 64M}, {@code 1000}. */
    static String formatSize(long bytes) {
        if (bytes != 0 && bytes % GIB == 0) {
            return bytes / GIB + "G";
        }
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + "M";
        }
        if (bytes != 0 && bytes % KIB == 0) {
            return bytes / KIB + "K";
        }
        return Long.toString(bytes);
    }

    /** The duration, or null if the text is no duration. */
    static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            return null;
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "", "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> null;
            };
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            return null;
        }
    }

    /** The largest exact unit, e.g. {@code 10m}, {@code 90s}, {@code 1500ms}. */
    static String formatDuration(Duration duration) {
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toString();
        }
        long millis = duration.toMillis();
        if (millis == 0 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
