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
 * @param socketGroup        the group the socket is handed to, or empty to keep the daemon's
 * @param socketProfile      the client served on the socket, which decides how an undecided file is answered
 * @param listen             the TCP address to listen on, if any (loopback unless {@code listen_beyond_loopback})
 * @param listenProfile      the client served over TCP
 * @param streamMaxLength    the most bytes one INSTREAM may carry (clamd's StreamMaxLength)
 * @param replyDeadline      how long a client waits for a verdict before an undecided file is answered
 *                           as such while its analysis goes on
 * @param commandReadTimeout how long a connection may stay silent (clamd's CommandReadTimeout), also
 *                           between INSTREAM chunks
 * @param maxScanFiles       the most files one SCAN of a directory judges
 */
public record ClamdSettings(Optional<Path> socketFile, int socketMode, Optional<String> socketGroup,
                            ClamdProfile socketProfile, Optional<HostPort> listen, ClamdProfile listenProfile,
                            long streamMaxLength, Duration replyDeadline, Duration commandReadTimeout,
                            int maxScanFiles) {
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
        Objects.requireNonNull(socketGroup, "socketGroup");
        Objects.requireNonNull(socketProfile, "socketProfile");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(listenProfile, "listenProfile");
        Objects.requireNonNull(replyDeadline, "replyDeadline");
        Objects.requireNonNull(commandReadTimeout, "commandReadTimeout");
    }

    /** The documented defaults: no listener. */
    public static ClamdSettings off() {
        return new ClamdSettings(Optional.empty(), DEFAULT_SOCKET_MODE, Optional.empty(), ClamdProfile.GENERIC,
                Optional.empty(), ClamdProfile.GENERIC, DEFAULT_STREAM_MAX_LENGTH, DEFAULT_REPLY_DEADLINE, DEFAULT_COMMAND_READ_TIMEOUT,
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
                + String.format("%04o", socketMode) + socketGroup.map(group -> ", group " + group).orElse("")
                + "), profile " + socketProfile.label()));
        listen.ifPresent(address -> where.add("TCP " + address + " ("
                + (address.loopback() ? "loopback only" : "OTHER HOSTS") + "), profile " + listenProfile.label()));
        return Optional.of(String.join("; ", where));
    }

    public ClamdSettings withSocketFile(Path socket) {
        return new ClamdSettings(Optional.of(socket), socketMode, socketGroup, socketProfile, listen, listenProfile,
                streamMaxLength, replyDeadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withSocketGroup(String group) {
        return new ClamdSettings(socketFile, socketMode, Optional.of(group), socketProfile, listen, listenProfile,
                streamMaxLength, replyDeadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withListen(HostPort address) {
        return new ClamdSettings(socketFile, socketMode, socketGroup, socketProfile, Optional.of(address),
                listenProfile, streamMaxLength, replyDeadline, commandReadTimeout, maxScanFiles);
    }

    /** The same profile on the socket and over TCP. */
    public ClamdSettings withProfile(ClamdProfile profile) {
        return withSocketProfile(profile).withListenProfile(profile);
    }

    public ClamdSettings withSocketProfile(ClamdProfile profile) {
        return new ClamdSettings(socketFile, socketMode, socketGroup, profile, listen, listenProfile,
                streamMaxLength, replyDeadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withListenProfile(ClamdProfile profile) {
        return new ClamdSettings(socketFile, socketMode, socketGroup, socketProfile, listen, profile,
                streamMaxLength, replyDeadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withStreamMaxLength(long length) {
        return new ClamdSettings(socketFile, socketMode, socketGroup, socketProfile, listen, listenProfile, length,
                replyDeadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withReplyDeadline(Duration deadline) {
        return new ClamdSettings(socketFile, socketMode, socketGroup, socketProfile, listen, listenProfile,
                streamMaxLength, deadline, commandReadTimeout, maxScanFiles);
    }

    public ClamdSettings withCommandReadTimeout(Duration timeout) {
        return new ClamdSettings(socketFile, socketMode, socketGroup, socketProfile, listen, listenProfile,
                streamMaxLength, replyDeadline, timeout, maxScanFiles);
    }
}
