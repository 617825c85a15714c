package org.peekaboo.expansion;

import java.util.List;
import java.util.Locale;

/**
 * The name of a compressed stream's one member: the name gzip recorded, else the stream's own name
 * without its compression suffix, as the tools that unpack it would name the file ({@code a.tgz}
 * gives {@code a.tar}).
 */
final class CompressedMemberName {
    /** Suffix and what replaces it, per format; the first that matches (case-insensitively) applies. */
    private record Suffix(String suffix, String replacement) {
    }

    private static final List<Suffix> GZIP = List.of(new Suffix(".tgz", ".tar"), new Suffix(".taz", ".tar"),
            new Suffix(".gz", ""), new Suffix(".gzip", ""), new Suffix("-gz", ""), new Suffix(".z", ""));
    private static final List<Suffix> BZIP2 = List.of(new Suffix(".tbz2", ".tar"), new Suffix(".tbz", ".tar"),
            new Suffix(".bz2", ""), new Suffix(".bz", ""));
    private static final List<Suffix> XZ = List.of(new Suffix(".txz", ".tar"), new Suffix(".xz", ""));
    private static final List<Suffix> LZMA = List.of(new Suffix(".tlz", ".tar"), new Suffix(".lzma", ""));
    private static final List<Suffix> COMPRESS_Z = List.of(new Suffix(".taz", ".tar"), new Suffix(".z", ""));
    private static final List<Suffix> LZ4 = List.of(new Suffix(".lz4", ""));
    private static final List<Suffix> SNAPPY = List.of(new Suffix(".sz", ""), new Suffix(".snappy", ""));

    private CompressedMemberName() {
    }

    /**
     * @param format     the stream's format
     * @param streamName the stream's declared name, or null
     * @param recorded   the name the stream itself records (gzip's FNAME), or null
     * @return the member's name, or null when neither says one
     */
    static String of(ContainerFormat format, String streamName, String recorded) {
        if (recorded != null && !recorded.isBlank()) {
            return recorded;
        }
        if (streamName == null || streamName.isBlank()) {
            return null;
        }
        String lower = streamName.toLowerCase(Locale.ROOT);
        for (Suffix suffix : suffixes(format)) {
            if (lower.endsWith(suffix.suffix()) && lower.length() > suffix.suffix().length()) {
                return streamName.substring(0, streamName.length() - suffix.suffix().length()) + suffix.replacement();
            }
        }
        // A stream not named for its compression ("invoice" sent as gzip) keeps its name, as gunzip -S would not.
        return streamName;
    }

    private static List<Suffix> suffixes(ContainerFormat format) {
        return switch (format) {
            case GZIP -> GZIP;
            case BZIP2 -> BZIP2;
            case XZ -> XZ;
            case LZMA -> LZMA;
            case COMPRESS_Z -> COMPRESS_Z;
            case LZ4 -> LZ4;
            case SNAPPY -> SNAPPY;
            default -> List.of();
        };
    }
}
