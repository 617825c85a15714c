package org.peekaboo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code [http]} section: PeekabooAV 2.1's REST API and the health probes, off unless
 * {@code listen} is given.
 *
 * @param listen         the TCP address, loopback unless {@code listen_beyond_loopback}
 * @param tlsCertificate PEM certificate chain; with {@code tlsKey} the listener speaks HTTPS only
 * @param tlsKey         PEM private key (PKCS#8) for {@code tlsCertificate}
 * @param token          the bearer token {@code /v1/} requests must carry, if any
 * @param maxUploadSize  the most bytes one upload's body may carry; more is answered 413
 * @param scanWait       how long {@code POST /v1/scan} waits for the verdict before answering the
 *                       job id, so that a client polling once right after finds known samples done
 * @param jobDeadline    how long a job may wait to be read, for a worker or for another instance analysing
 *                       the same file before it is finished {@code failed} (running rules are not cut short)
 */
public record HttpSettings(Optional<HostPort> listen, Optional<Path> tlsCertificate, Optional<Path> tlsKey,
                           Optional<Secret> token, long maxUploadSize, Duration scanWait, Duration jobDeadline) {
    /** PeekabooAV's own port, so that its clients only need the host changed. */
    public static final int DEFAULT_PORT = 8100;
    public static final long DEFAULT_MAX_UPLOAD_SIZE = 100L * 1024 * 1024;
    public static final long MIN_MAX_UPLOAD_SIZE = 1024;
    /** Enough for a known sample, well below rspamd's 3 s client timeout. */
    public static final Duration DEFAULT_SCAN_WAIT = Duration.ofSeconds(1);
    public static final Duration MAX_SCAN_WAIT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_JOB_DEADLINE = Duration.ofMinutes(10);
    public static final Duration MIN_JOB_DEADLINE = Duration.ofSeconds(1);
    public static final Duration MAX_JOB_DEADLINE = Duration.ofHours(24);

    public HttpSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(scanWait, "scanWait");
        Objects.requireNonNull(jobDeadline, "jobDeadline");
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key");
        }
    }

    /** The documented defaults: no listener. */
    public static HttpSettings off() {
        return new HttpSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_MAX_UPLOAD_SIZE, DEFAULT_SCAN_WAIT, DEFAULT_JOB_DEADLINE);
    }

    public boolean enabled() {
        return listen.isPresent();
    }

    /** Where HTTP clients reach Peekaboo, for {@code peekaboo config check}; empty when the listener is off. */
    public Optional<String> exposure() {
        return listen.map(address -> (tls() ? "HTTPS" : "HTTP") + " on TCP " + address + " ("
                + (address.loopback() ? "loopback only" : "OTHER HOSTS") + "), "
                + (token.isPresent() ? "bearer token required" : "no token"));
    }

    public boolean tls() {
        return tlsCertificate.isPresent();
    }

    public HttpSettings withListen(HostPort address) {
        return new HttpSettings(Optional.of(address), tlsCertificate, tlsKey, token, maxUploadSize, scanWait,
                jobDeadline);
    }

    public HttpSettings withTls(Path certificate, Path key) {
        return new HttpSettings(listen, Optional.of(certificate), Optional.of(key), token, maxUploadSize, scanWait,
                jobDeadline);
    }

    public HttpSettings withToken(Secret newToken) {
        return new HttpSettings(listen, tlsCertificate, tlsKey, Optional.of(newToken), maxUploadSize, scanWait,
                jobDeadline);
    }

    public HttpSettings withMaxUploadSize(long size) {
        return new HttpSettings(listen, tlsCertificate, tlsKey, token, size, scanWait, jobDeadline);
    }

    public HttpSettings withScanWait(Duration wait) {
        return new HttpSettings(listen, tlsCertificate, tlsKey, token, maxUploadSize, wait, jobDeadline);
    }
}
