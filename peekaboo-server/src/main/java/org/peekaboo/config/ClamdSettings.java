package org.peekaboo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [clamd]} section: the clamd-compatible front end, off unless a socket or a TCP
 * address is given.
 *
 * @param socketFile         the Unix socket to listen on, if any
 * @param socketMode         its permission bits
 * @param listen             the TCP address to listen on, if any (loopback unless {@code listen_beyond_loopback})
 * @param profile            the client served, which decides how an undecided file is answered
 * @param streamMaxLength    the most bytes one INSTREAM may carry (clamd's StreamMaxLength)
 * @param replyDeadline      how long a client waits for a verdict before an undecided file is answered
 *                           as such while its analysis goes on
 * @param commandReadTimeout how long a connection may stay silent (clamd's CommandReadTimeout), also
 *                           between INSTREAM chunks
 * @param maxScanFiles       the most files one SCAN of a directory judges
 */
public record ClamdSettings(Optional<Path> socketFile, int socketMode, Optional<HostPort> listen,
                            ClamdProfile profile, long streamMaxLength, Duration replyDeadline,
                            Duration commandReadTimeout, int maxScanFiles) {
    public static final int DEFAULT_SOCKET_MODE = 0660;
    /** clamd's current default (clamd.conf(5)); older releases had 25M. */
    public static final long DEFAULT_STREAM_MAX_LENGTH = 100L * 1024 * 1024;
    public static final long MIN_STREAM_MAX_LENGTH = 1024;
    /** Below rspamd's 5 s default timeout, so the answer arrives before it gives up. */
    public static final Duration DEFAULT_REPLY_DEADLINE = Duration.ofSeconds(4);
    public static final Duration MIN_REPLY_DEADLINE = Duration.ofMillis(100);
    public static final Duration MAX_REPLY_DEADLINE = Duration.ofMinutes(10);
    public static final Duration DEFAULT_COMMAND_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MIN_COMMAND_READ_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_COMMAND_READ_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_SCAN_FILES = 1000;

    public ClamdSettings {
        Objects.requireNonNull(socketFile, "socketFile");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(replyDeadline, "replyDeadline");
        Objects.requireNonNull(commandReadTimeout, "commandReadTimeout");
    }

    /** The documented defaults: no listener. */
    public static ClamdSettings off() {
        return new ClamdSettings(Optional.empty(), DEFAULT_SOCKET_MODE, Optional.empty(), ClamdProfile.GENERIC,
                DEFAULT_STREAM_MAX_LENGTH, DEFAULT_REPLY_DEADLINE, DEFAULT_COMMAND_READ_TIMEOUT,
                DEFAULT_MAX_SCAN_FILES);
    }

    public boolean enabled() {
        return socketFile.isPresent() || listen.isPresent();
    }

    /** Where clamd clients reach Peekaboo, for {@code peekaboo config check}; empty when the front end is off. */
    public Optional<String> exposure() {
        if (!enabled()) {
            return Optional.empty();
        }
        List<String> where = new ArrayList<>(2);
        socketFile.ifPresent(socket -> where.add("Unix socket " + socket + " (mode "
                + String.format("%04o", socketMode) + ")"));
        listen.ifPresent(address -> where.add("TCP " + address + " ("
                + (address.loopback() ? "loopback only" : "OTHER HOSTS") + ")"));
        return Optional.of(String.join("; ", where) + ", profile " + profile.label());
    }

    public ClamdSettings withSocketFile(Path socket) {
        return new ClamdSettings(Optional.of(socket), socketMode, listen, profile, streamMaxLength, replyDeadline,
                commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withListen(HostPort address) {
        return new ClamdSettings(socketFile, socketMode, Optional.of(address), profile, streamMaxLength,
                replyDeadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withProfile(ClamdProfile newProfile) {
        return new ClamdSettings(socketFile, socketMode, listen, newProfile, streamMaxLength, replyDeadline,
                commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withStreamMaxLength(long length) {
        return new ClamdSettings(socketFile, socketMode, listen, profile, length, replyDeadline,
                commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withReplyDeadline(Duration deadline) {
        return new ClamdSettings(socketFile, socketMode, listen, profile, streamMaxLength, deadline,
                commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withCommandReadTimeout(Duration timeout) {
        return new ClamdSettings(socketFile, socketMode, listen, profile, streamMaxLength, replyDeadline, timeout,
                maxScanFiles);
    }
}
