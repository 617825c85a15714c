package org.peekaboo.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database was reachable at the last attempt. While it is down every request
 * fails the same way; logging each of them would bury the one line that matters, so the
 * start and the end of an outage are logged once each. Thread-safe.
 */
public final class DatabaseOutage {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);

    /** Receives the two messages; the default writes them to the log. */
    public interface Listener {
        void wentDown(Instant since, String diagnosis);

        void cameBack(Instant since, Duration downFor);
    }

    private final String maskedUrl;
    private final Clock clock;
    private final Listener listener;
    /** When the current outage started, null while the database is reachable. */
    private final AtomicReference<Instant> downSince = new AtomicReference<>();

    public DatabaseOutage(String maskedUrl, Clock clock, Listener listener) {
        this.maskedUrl = Objects.requireNonNull(maskedUrl, "maskedUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Logs to this class's logger, warning when the database goes down. */
    public static DatabaseOutage logging(String maskedUrl, Clock clock) {
        return new DatabaseOutage(maskedUrl, clock, new Listener() {
            @Override
            public void wentDown(Instant since, String diagnosis) {
                LOG.warn("Database {} unreachable since {}; requests are answered unchecked until it is back: {}",
                        maskedUrl, since, diagnosis);
            }

            @Override
            public void cameBack(Instant since, Duration downFor) {
                LOG.info("Database {} reachable again since {} after {}s; requests are analysed again",
                        maskedUrl, since, downFor.toSeconds());
            }
        });
    }

    /** An operation failed for want of a connection; the first such failure starts an outage. */
    public void unreachable(Throwable failure) {
        Instant now = clock.instant();
        if (downSince.compareAndSet(null, now)) {
            listener.wentDown(now, diagnosis(failure));
        }
    }

    /** The database answered; if it was down, the outage ends now. */
    public void reachable() {
        Instant since = downSince.getAndSet(null);
        if (since != null) {
            Instant now = clock.instant();
            listener.cameBack(now, Duration.between(since, now));
        }
    }

    public boolean isDown() {
        return downSince.get() != null;
    }

    public String maskedUrl() {
        return maskedUrl;
    }

    private static String diagnosis(Throwable failure) {
        Throwable diagnosed = TransientFailures.sqlCause(failure).<Throwable>map(sql -> sql).orElse(failure);
        String message = diagnosed.getMessage();
        return JdbcUrl.masked(message == null ? diagnosed.toString() : message);
    }
}
