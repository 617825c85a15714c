package org.peekaboo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How instances sharing one database coordinate the analysis of a sample (lock rows).
 *
 * @param lease         how long a lock stays valid without renewal; after that another
 *                      instance may take the sample over ({@code [cluster] lease})
 * @param renewInterval how often the owner extends its lease while it works; shorter than
 *                      the lease, so that one late renewal does not lose the lock
 *                      ({@code [cluster] renew_interval})
 * @param pollInterval  how often the samples locked elsewhere are checked, all in one query
 *                      ({@code [cluster] poll_interval})
 */
public record ClusterSettings(Duration lease, Duration renewInterval, Duration pollInterval) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    public static final Duration MIN_LEASE = Duration.ofSeconds(5);
    public static final Duration MAX_LEASE = Duration.ofHours(1);
    public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(20);
    public static final Duration MIN_RENEW_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_RENEW_INTERVAL = MAX_LEASE;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);
    public static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(1);

    public ClusterSettings {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(renewInterval, "renewInterval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Checks.inRange("lease", lease, MIN_LEASE, MAX_LEASE);
        Checks.inRange("renew interval", renewInterval, MIN_RENEW_INTERVAL, MAX_RENEW_INTERVAL);
        Checks.inRange("poll interval", pollInterval, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
        if (renewInterval.compareTo(lease) >= 0) {
            throw new ConfigException("renew interval " + Units.formatDuration(renewInterval)
                    + " must be shorter than the lease " + Units.formatDuration(lease)
                    + ", or the lock expires before it is renewed");
        }
    }

    public static ClusterSettings defaults() {
        return new ClusterSettings(DEFAULT_LEASE, DEFAULT_RENEW_INTERVAL, DEFAULT_POLL_INTERVAL);
    }
}
