package org.peekaboo.cortex;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Cortex is known to be unreachable: from a request that could not connect (or that a
 * proxy answered with 502, 503 or 504) until a probe gets an answer from Cortex again.
 * Meanwhile requests fail at once instead of each trying, with retries, for every sample; the
 * start and end of the outage are logged once each. Thread-safe.
 */
final class CortexOutage {
    private static final Logger LOG = LoggerFactory.getLogger(CortexOutage.class);

    private final String where;
    private final Clock clock;
    /** Start of the outage and why; null while Cortex is reachable. */
    private final AtomicReference<Down> down = new AtomicReference<>();

    /** An outage: since when, and the failure that started it. */
    record Down(Instant since, String diagnosis) {
    }

    CortexOutage(String where, Clock clock) {
        this.where = Objects.requireNonNull(where, "where");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether requests should fail at once. */
    boolean knownDown() {
        return down.get() != null;
    }

    /** The current outage; empty while Cortex answers. */
    Optional<Down> current() {
        return Optional.ofNullable(down.get());
    }

    /** Starts an outage; true for the call that started it, which is to start the probe. */
    boolean unreachable(String diagnosis) {
        Down started = new Down(clock.instant(), diagnosis);
        if (down.compareAndSet(null, started)) {
            LOG.warn("Cortex at {} unavailable since {}: {}; rules that need it answer unchecked at once until"
                    + " it is back", where, started.since(), diagnosis);
            return true;
        }
        return false;
    }

    /** Cortex answered: the outage, if any, ends now. */
    void reachable() {
        Down ended = down.getAndSet(null);
        if (ended != null) {
            Instant now = clock.instant();
            LOG.info("Cortex at {} available again since {} after {}s", where, now,
                    Duration.between(ended.since(), now).toSeconds());
        }
    }

    /** The failure of a request not sent because of the outage. */
    CortexException knownDownFailure(String what) {
        Down current = down.get();
        String since = current == null ? "just now" : "since " + current.since() + " (" + current.diagnosis() + ")";
        return new CortexException("Cortex " + what + ": Cortex unavailable " + since
                + "; not tried until it answers again", 0, true);
    }
}
