package org.peekaboo.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of the line protocol, validated once when the configuration is loaded.
 * The messages name the configuration key so an operator can find what to fix.
 *
 * @param keepAliveInterval how often a waiting client is told that analysis is still running
 *                          ({@code [server] keepalive_interval})
 * @param requestDeadline   how long after receiving a request the verdict is sent at the latest;
 *                          files still running are then reported {@code unchecked}
 *                          ({@code [server] request_deadline})
 * @param idleTimeout       how long a client may stay connected without sending a complete request
 *                          ({@code [server] idle_timeout})
 * @param maxLineLength     the longest request line accepted, in bytes ({@code [server] max_line_length})
 * @param maxParts          the most objects one request may contain ({@code [server] max_parts})
 * @param maxReplyBytes     the most bytes one answer may take, greeting and final line included;
 *                          longer reports are shortened to fit ({@code [server] max_reply_size})
 */
public record ProtocolSettings(Duration keepAliveInterval, Duration requestDeadline, Duration idleTimeout,
                               int maxLineLength, int maxParts, int maxReplyBytes) {
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
    public static final int DEFAULT_MAX_PARTS = 1000;
    /** Below amavis' 100 000 bytes, with room for the greeting and keep-alive lines. */
    public static final int DEFAULT_MAX_REPLY_BYTES = 90_000;

    private static final Duration SHORTEST_TIMER = Duration.ofMillis(1);
    private static final Duration LONGEST_TIMER = Duration.ofHours(1);
    // A single-file request needs a few dozen bytes; below this a limit is surely a typo.
    private static final int SHORTEST_LINE = 256;
    private static final int LONGEST_LINE = 64 * 1024 * 1024;
    private static final int MOST_PARTS = 100_000;
    // Room for the summary lines, a few dozen verdict lines and the final line.
    private static final int SHORTEST_REPLY = 16 * 1024;
    private static final int LONGEST_REPLY = 64 * 1024 * 1024;

    public ProtocolSettings {
        requireTimer("keepalive_interval", keepAliveInterval);
        requireTimer("request_deadline", requestDeadline);
        requireTimer("idle_timeout", idleTimeout);
        requireRange("max_line_length", maxLineLength, SHORTEST_LINE, LONGEST_LINE);
        requireRange("max_parts", maxParts, 1, MOST_PARTS);
        requireRange("max_reply_size", maxReplyBytes, SHORTEST_REPLY, LONGEST_REPLY);
    }

    public static ProtocolSettings defaults() {
        return new ProtocolSettings(DEFAULT_KEEP_ALIVE_INTERVAL, DEFAULT_REQUEST_DEADLINE, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_LINE_LENGTH, DEFAULT_MAX_PARTS, DEFAULT_MAX_REPLY_BYTES);
    }

    public ProtocolSettings withKeepAliveInterval(Duration interval) {
        return new ProtocolSettings(interval, requestDeadline, idleTimeout, maxLineLength, maxParts, maxReplyBytes);
    }

    public ProtocolSettings withRequestDeadline(Duration deadline) {
        return new ProtocolSettings(keepAliveInterval, deadline, idleTimeout, maxLineLength, maxParts, maxReplyBytes);
    }

    public ProtocolSettings withIdleTimeout(Duration timeout) {
        return new ProtocolSettings(keepAliveInterval, requestDeadline, timeout, maxLineLength, maxParts,
                maxReplyBytes);
    }

    public ProtocolSettings withMaxLineLength(int length) {
        return new ProtocolSettings(keepAliveInterval, requestDeadline, idleTimeout, length, maxParts, maxReplyBytes);
    }

    public ProtocolSettings withMaxParts(int parts) {
        return new ProtocolSettings(keepAliveInterval, requestDeadline, idleTimeout, maxLineLength, parts,
                maxReplyBytes);
    }

    public ProtocolSettings withMaxReplyBytes(int bytes) {
        return new ProtocolSettings(keepAliveInterval, requestDeadline, idleTimeout, maxLineLength, maxParts, bytes);
    }

    private static void requireTimer(String key, Duration value) {
        Objects.requireNonNull(value, () -> "[server] " + key + " is missing");
        if (value.compareTo(SHORTEST_TIMER) < 0 || value.compareTo(LONGEST_TIMER) > 0) {
            throw new IllegalArgumentException("[server] " + key + " must be between 1 ms and 1 h, got "
                    + ProtocolLines.duration(value));
        }
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "[server] " + key + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
