package org.peekaboo.lineprotocol;

import java.time.Duration;
import java.util.Objects;
import org.peekaboo.config.ServerSettings;

/**
 * Limits and timers of the line protocol. Taken from the validated {@code [server]} settings
 * ({@link #of}); checking their ranges is the configuration's job, not repeated here, so tests
 * may use timers shorter than an operator could configure.
 *
 * @param keepAliveInterval how often a waiting client is told that analysis is still running
 * @param requestDeadline   how long after receiving a request the verdict is sent at the latest;
 *                          files still running are then reported {@code unchecked}
 * @param idleTimeout       how long a client may stay connected without sending a complete request
 * @param maxLineLength     the longest request line accepted, in bytes
 * @param maxParts          the most objects one request may contain
 * @param maxReplyBytes     the most bytes one answer may take, greeting and final line included;
 *                          longer reports are shortened to fit
 */
public record ProtocolSettings(Duration keepAliveInterval, Duration requestDeadline, Duration idleTimeout,
                               int maxLineLength, int maxParts, int maxReplyBytes) {
    public ProtocolSettings {
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(requestDeadline, "requestDeadline");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** What the line protocol takes from the {@code [server]} settings. */
    public static ProtocolSettings of(ServerSettings server) {
        return new ProtocolSettings(server.keepAliveInterval(), server.requestDeadline(), server.idleTimeout(),
                server.maxLineLength(), server.maxParts(), server.maxReplySize());
    }

    /** The protocol's part of the documented {@code [server]} defaults. */
    public static ProtocolSettings defaults() {
        return of(ServerSettings.defaults());
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
}
