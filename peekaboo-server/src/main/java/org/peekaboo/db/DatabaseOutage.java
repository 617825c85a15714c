package org.peekaboo.db;

import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database was reachable at the last attempt. While it is down every request
 * fails the same way; logging each of them would bury the one line that matters, so the
 * start and the end of an outage are logged once each. Thread-safe.
 *
 * <p>With a {@link Probe}, an outage also becomes <em>known</em>: a single background thread runs
 * the probe at once and then every probe interval until it succeeds, which ends the outage. Once
 * the probe has failed (or the outage started with the pool finding no connection within its
 * timeout, or with an embedded database failing to write its file), operations fail at once
 * ({@link #knownDown()}) instead of each waiting the connect timeout on a worker, and only the
 * probe ends the outage. A connection that broke in use (a server restarted under the pool) is
 * only a suspicion until then: the probe's fresh connection usually ends it before any
 * request is refused. Without a probe, every operation tries the database itself.
 */
public final class DatabaseOutage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);

    /** Receives the two messages; the default writes them to the log. */
    public interface Listener {
        void wentDown(Instant since, String diagnosis);

        void cameBack(Instant since, Duration downFor);
    }

    /** Checks whether the database can be used again; throws when it cannot yet. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;

        /**
         * Called once a confirmed outage has ended, before operations are let through again,
         * e.g. to drop connections made before it; not after a suspicion that the first check
         * dispelled, when the connections are fine.
         */
        default void back() {
        }
    }

    private final String maskedUrl;
    private final Clock clock;
    private final Listener listener;
    /**
     * When and why the current outage started, null while the database is reachable: one
     * reference, so that {@code peekaboo status} never pairs an outage's start with the reason
     * of the one before.
     */
    private final AtomicReference<Down> down = new AtomicReference<>();
    /** Null: every operation tries the database itself. */
    private final Probe probe;
    private final Duration probeInterval;
    private final AtomicReference<Thread> prober = new AtomicReference<>();
    /** Whether the current outage is confirmed, so that operations need not try. */
    private final AtomicBoolean confirmed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Without a probe: every operation tries the database, also during an outage. */
    public DatabaseOutage(String maskedUrl, Clock clock, Listener listener) {
        this(maskedUrl, clock, listener, null, Duration.ZERO);
    }

    /**
     * @param probe         run every {@code probeInterval} during an outage, by one thread, until
     *                      it succeeds; meanwhile operations fail at once
     * @param probeInterval the pause after a failed probe
     */
    public DatabaseOutage(String maskedUrl, Clock clock, Listener listener, Probe probe, Duration probeInterval) {
        this.maskedUrl = Objects.requireNonNull(maskedUrl, "maskedUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.probe = probe;
        this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
        if (probe != null && (probeInterval.isNegative() || probeInterval.isZero())) {
            throw new IllegalArgumentException("probe interval must be positive, got " + probeInterval);
        }
    }

    /** Logs to this class's logger, warning when the database goes down. */
    public static DatabaseOutage logging(String maskedUrl, Clock clock) {
        return new DatabaseOutage(maskedUrl, clock, logger(maskedUrl));
    }

    /** Logs like {@link #logging}, and knows an outage until {@code probe} succeeds. */
    public static DatabaseOutage probing(String maskedUrl, Clock clock, Probe probe, Duration probeInterval) {
        return new DatabaseOutage(maskedUrl, clock, logger(maskedUrl), probe, probeInterval);
    }

    private static Listener logger(String maskedUrl) {
        return new Listener() {
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
        };
    }

    private record Down(Instant since, String diagnosis) {
    }

    /** An operation failed for want of a connection; the first such failure starts an outage. */
    public void unreachable(Throwable failure) {
        if (down.get() != null) {
            return;
        }
        Down started = new Down(clock.instant(), diagnosis(failure));
        if (down.compareAndSet(null, started)) {
            confirmed.set(probe != null && certain(failure));
            listener.wentDown(started.since(), started.diagnosis());
            startProbing();
        }
    }

    /**
     * The database answered; a suspected outage ends now. A confirmed one is ended by the probe
     * alone: an operation that was under way when it started proves little (an embedded database
     * that cannot write its file still answers from memory).
     */
    public void reachable() {
        if (!confirmed.get()) {
            end();
        }
    }

    private void end() {
        Down ended = down.getAndSet(null);
        confirmed.set(false);
        if (ended != null) {
            Instant now = clock.instant();
            listener.cameBack(now, Duration.between(ended.since(), now));
        }
    }

    public boolean isDown() {
        return down.get() != null;
    }

    /** When the current outage started; empty while the database is reachable. */
    public Optional<Instant> downSince() {
        return Optional.ofNullable(down.get()).map(Down::since);
    }

    /** Why the current outage started; empty while the database is reachable. */
    public Optional<String> downBecause() {
        return Optional.ofNullable(down.get()).map(Down::diagnosis);
    }

    /**
     * Whether operations should fail at once: the database is down and the probe, not the
     * requests, finds out when it is back.
     */
    public boolean knownDown() {
        return probe != null && isDown() && confirmed.get() && !closed.get();
    }

    /**
     * The failure of an operation not tried because of a known outage; classified as
     * unreachable like the failure that started the outage, so that callers treat both alike.
     */
    public RuntimeException knownDownFailure() {
        String message = "database " + maskedUrl + " unreachable since " + downSince().orElse(null)
                + ", not tried until a probe finds it back";
        return new DataAccessException(message, new SQLTransientConnectionException(message));
    }

    /** Stops the probe; operations try the database themselves again (and find it closed). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Thread thread = prober.getAndSet(null);
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    private void startProbing() {
        if (probe == null || closed.get()) {
            return;
        }
        Thread thread = Thread.ofPlatform().daemon().name("peekaboo-db-probe").unstarted(this::probeUntilBack);
        // One prober at a time: an outage that ends and starts again before the old one has
        // seen the end is watched by the thread still running.
        if (prober.compareAndSet(null, thread)) {
            thread.start();
        }
    }

    private void probeUntilBack() {
        try {
            while (!closed.get()) {
                if (!isDown()) {
                    // An operation that was under way when the outage started succeeded meanwhile.
                    break;
                }
                try {
                    probe.check();
                    if (confirmed.get()) {
                        probe.back();
                    }
                    end();
                    break;
                } catch (Exception stillDown) {
                    confirmed.set(isDown());
                    LOG.debug("Database {} still unreachable: {}", maskedUrl, diagnosis(stillDown));
                }
                Thread.sleep(probeInterval);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            prober.compareAndSet(Thread.currentThread(), null);
            // An outage that started after this thread decided to stop needs a prober of its own.
            if (isDown()) {
                startProbing();
            }
        }
    }

    public String maskedUrl() {
        return maskedUrl;
    }

    /**
     * Whether the failure needs no probe to confirm it: the pool's own verdict after waiting its
     * whole timeout, having tried to connect and failed (its last failure is the cause; without
     * one the pool was only busy, which is no outage), or an embedded database failing its file.
     */
    private static boolean certain(Throwable failure) {
        return TransientFailures.sqlCause(failure)
                .filter(sql -> (sql instanceof SQLTransientConnectionException && sql.getCause() != null)
                        || EmbeddedFailures.isBroken(sql))
                .isPresent();
    }

    private static String diagnosis(Throwable failure) {
        Throwable diagnosed = TransientFailures.sqlCause(failure).<Throwable>map(sql -> sql).orElse(failure);
        String message = diagnosed.getMessage();
        return JdbcUrl.masked(message == null ? diagnosed.toString() : message);
    }
}
