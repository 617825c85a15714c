package org.peekaboo.expansion;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.sample.SampleContent;

/**
 * What one archive or compressed stream gave so far, while it is read: its members and findings,
 * and the turning of whatever stopped the reading into a finding. Not thread-safe; one per read.
 */
final class ArchiveMembers {
    private final ContainerFormat format;
    private final List<Member> members = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    ArchiveMembers(ContainerFormat format) {
        this.format = format;
    }

    void add(SampleContent content, String path) {
        members.add(new Member(content, path, null, null));
    }

    void add(Finding finding) {
        findings.add(finding);
    }

    int count() {
        return members.size();
    }

    /** The members and findings so far. */
    Expansion expansion() {
        return new Expansion(members, findings, List.of());
    }

    /**
     * The members so far and what {@code stop} means: a limit's own finding, an interruption, or a
     * corrupt container. Libraries wrap what the budget threw into their own exceptions at times,
     * hence the look along the causes.
     */
    Expansion stoppedBy(Throwable stop) {
        findings.add(findingFor(stop, "after " + members.size() + " members"));
        return expansion();
    }

    /** The finding for {@code stop}, which ended the reading {@code where} (e.g. "at \"a.doc\""). */
    Finding findingFor(Throwable stop, String where) {
        LimitReachedException limit = causeOf(stop, LimitReachedException.class);
        if (limit != null) {
            return limit.finding();
        }
        if (causeOf(stop, InterruptedIOException.class) != null || causeOf(stop, ClosedByInterruptException.class) != null
                || Thread.currentThread().isInterrupted()) {
            return Finding.interrupted();
        }
        org.apache.commons.compress.MemoryLimitException commons =
                causeOf(stop, org.apache.commons.compress.MemoryLimitException.class);
        org.tukaani.xz.MemoryLimitException xz = causeOf(stop, org.tukaani.xz.MemoryLimitException.class);
        if (commons != null || xz != null) {
            long neededKib = commons != null ? commons.getMemoryNeededInKb() : xz.getMemoryNeeded();
            // 7-Zip's -mx9 and xz -9 need a little more than the limit: a sound archive Peekaboo declines to
            // decode. Far more is how a small file exhausts a decoder's heap: built to, so judged as damage.
            Finding.Kind kind = neededKib <= 4L * ArchiveReader.MEMORY_LIMIT_KIB ? Finding.Kind.UNSUPPORTED
                    : Finding.Kind.UNREADABLE;
            return new Finding(kind, label(format) + " needs more than " + ArchiveReader.MEMORY_LIMIT_KIB / 1024
                    + " MiB of memory to unpack (" + neededKib / 1024 + " MiB); stopped " + where + ": " + message(stop));
        }
        if (stop instanceof LinkageError) {
            return new Finding(Finding.Kind.UNSUPPORTED, label(format) + " uses a method Peekaboo cannot read " + where
                    + " (no library for it: " + message(stop) + ")");
        }
        if (unsupportedMethod(stop)) {
            return new Finding(Finding.Kind.UNSUPPORTED, label(format) + " uses a method Peekaboo cannot read " + where
                    + ": " + message(stop));
        }
        if (stop instanceof StackOverflowError) {
            return new Finding(Finding.Kind.UNREADABLE, label(format) + " is nested too deeply to read " + where);
        }
        return new Finding(Finding.Kind.UNREADABLE, label(format) + " is corrupt or truncated " + where + ": "
                + message(stop));
    }

    /** Whether {@code thrown} ends the whole reading (a limit, an interruption), not just one member's. */
    static boolean stops(Throwable thrown) {
        return causeOf(thrown, LimitReachedException.class) != null || causeOf(thrown, InterruptedIOException.class) != null
                || causeOf(thrown, ClosedByInterruptException.class) != null || Thread.currentThread().isInterrupted();
    }

    private static <T extends Throwable> T causeOf(Throwable thrown, Class<T> type) {
        // Bounded: a cause chain can be a cycle.
        Throwable cause = thrown;
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String message(Throwable thrown) {
        String message = thrown.getMessage();
        return message == null || message.isBlank() ? thrown.getClass().getSimpleName() : message;
    }

    /** The format as people name it, with "archive" or "stream". */
    static String label(ContainerFormat format) {
        return switch (format) {
            case ZIP -> "ZIP archive";
            case SEVEN_Z -> "7z archive";
            case TAR -> "tar archive";
            case CPIO -> "cpio archive";
            case AR -> "ar archive";
            case ARJ -> "ARJ archive";
            case GZIP -> "gzip stream";
            case BZIP2 -> "bzip2 stream";
            case XZ -> "xz stream";
            case LZMA -> "LZMA stream";
            case COMPRESS_Z -> "compress (.Z) stream";
            case LZ4 -> "LZ4 stream";
            case SNAPPY -> "Snappy stream";
            case ONENOTE -> "OneNote file";
            case PDF -> "PDF document";
            case DISK_IMAGE -> "disk image";
            case MESSAGE -> "message";
        };
    }

    /** Commons Compress' word for a 7z coder it has none for (PPMd, BCJ2, ...): the archive is sound. */
    private static boolean unsupportedMethod(Throwable stop) {
        for (Throwable t = stop; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("Unsupported compression method")) {
                return true;
            }
        }
        return false;
    }
}
