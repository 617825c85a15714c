package org.peekaboo.db;

import static org.peekaboo.db.schema.Tables.ANALYSIS;
import static org.peekaboo.db.schema.Tables.HTTP_JOB;
import static org.peekaboo.db.schema.Tables.SAMPLE_LOCK;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.OrderField;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.peekaboo.analysis.AnalysisStore.State;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is too old to matter: finished analyses that finished more than the purge age
 * ago, and lock rows whose lease ended more than the purge age ago (left behind by instances
 * that died). Running analyses are never deleted, however old.
 *
 * <p>Batches: each batch first reads up to {@code batchSize} primary keys of old rows, then
 * deletes exactly those keys, with the age condition repeated. Two portable statements rather
 * than {@code DELETE … ORDER BY … LIMIT}, which H2 does not accept; and deleting by a list of
 * primary keys (not a key range) makes MariaDB lock only the rows deleted, never a gap that
 * analyses being stored right now insert into. The old analyses are found through the index on
 * {@code created_at}: an analysis that finished before the cut-off was also created before it.
 *
 * <p>One instance at a time: a round first takes the lock row {@link #LOCK_IDENTITY} through
 * {@link SampleLocks}; an instance that finds it held skips the round. The round stops when
 * that lease is about to run out, so that it never overlaps with an instance that takes the
 * expired lock over, and releases the lock when done.
 */
public final class Purger {
    private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

    /** The lock row of the purge: a name that no sample identity (a SHA-256 of content and metadata) collides with by chance. */
    public static final String LOCK_IDENTITY = sha256Hex("peekaboo-purge");

    /** A round stops this long before its lease ends: room for one more batch to finish. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    private final DSLContext dsl;
    private final SampleLocks locks;
    private final Retry retry;
    private final Clock clock;
    private final Duration purgeAfter;
    private final int batchSize;
    private final Duration lease;

    /**
     * @param dsl        access to a database migrated with Peekaboo's schema
     * @param locks      this instance's locks, which take the purge lock
     * @param retry      how statements that lost a deadlock are repeated
     * @param clock      tells the age of rows and the time the purge lock is taken at
     * @param purgeAfter rows older than this are deleted
     * @param batchSize  rows deleted per statement
     * @param lease      how long the purge lock is held at most; longer than {@link #LEASE_MARGIN}
     */
    public Purger(DSLContext dsl, SampleLocks locks, Retry retry, Clock clock, Duration purgeAfter, int batchSize,
                  Duration lease) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.purgeAfter = positive("purge age", purgeAfter);
        this.lease = positive("purge lease", lease);
        if (lease.compareTo(LEASE_MARGIN.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("purge lease must be at least " + LEASE_MARGIN.multipliedBy(2)
                    + ", got " + lease);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("purge batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** What one round deleted. */
    public record Outcome(int analysesDeleted, int locksDeleted, int httpJobsDeleted, int batches, boolean finished) {
    }

    /**
     * Runs one round: takes the purge lock, deletes old rows batch by batch until none are
     * left (or the lease runs short), releases the lock.
     *
     * @return what was deleted, or empty if another instance holds the purge lock
     * @throws StoreException if the database fails; the lock is released if it still can be
     */
    public Optional<Outcome> purge() {
        Instant start = clock.instant();
        if (!locks.tryAcquire(LOCK_IDENTITY, start, lease)) {
            return Optional.empty();
        }
        Instant stopBy = start.plus(lease).minus(LEASE_MARGIN);
        LocalDateTime cutoff = toColumn(start.minus(purgeAfter));
        try {
            // Analyses first, then lock rows, then REST jobs; each table until a short batch says
            // it is done, and the round ends where the lease runs short.
            List<IntSupplier> tables = List.of(() -> deleteAnalysisBatch(cutoff), () -> deleteLockBatch(cutoff),
                    () -> deleteHttpJobBatch(cutoff));
            int[] deleted = new int[tables.size()];
            int batches = 0;
            for (int table = 0; table < tables.size(); table++) {
                boolean drained = false;
                while (!drained && clock.instant().isBefore(stopBy)) {
                    int batch = tables.get(table).getAsInt();
                    batches++;
                    deleted[table] += batch;
                    drained = batch < batchSize;
                }
                if (!drained) {
                    return Optional.of(new Outcome(deleted[0], deleted[1], deleted[2], batches, false));
                }
            }
            return Optional.of(new Outcome(deleted[0], deleted[1], deleted[2], batches, true));
        } finally {
            releaseLock();
        }
    }

    /**
     * {@link #purge()} for a scheduler: logs what happened and never throws, so that a failed
     * round (e.g. during a database outage) leaves the next rounds scheduled.
     */
    public void purgeLogged() {
        try {
            Optional<Outcome> outcome = purge();
            if (outcome.isEmpty()) {
                LOG.debug("Purge skipped: another instance is purging");
            } else if (!outcome.get().finished()) {
                LOG.warn("Purge stopped before its lock expired, the rest is left to the next round: deleted {}"
                        + " analyses, {} lock rows and {} REST jobs older than {}", outcome.get().analysesDeleted(),
                        outcome.get().locksDeleted(), outcome.get().httpJobsDeleted(), purgeAfter);
            } else if (outcome.get().analysesDeleted() + outcome.get().locksDeleted()
                    + outcome.get().httpJobsDeleted() > 0) {
                LOG.info("Purged {} analyses, {} lock rows and {} REST jobs older than {}",
                        outcome.get().analysesDeleted(), outcome.get().locksDeleted(),
                        outcome.get().httpJobsDeleted(), purgeAfter);
            }
        } catch (RuntimeException e) {
            LOG.warn("Purge failed, trying again next round: {}", e.getMessage());
        }
    }

    private int deleteAnalysisBatch(LocalDateTime cutoff) {
        return deleteBatch("purge analyses finished before " + cutoff, ANALYSIS, ANALYSIS.JOB_ID,
                ANALYSIS.CREATED_AT.lt(cutoff).and(ANALYSIS.STATE.eq(State.FINISHED.name()))
                        .and(ANALYSIS.FINISHED_AT.lt(cutoff)),
                ANALYSIS.CREATED_AT, ANALYSIS.JOB_ID);
    }

    /**
     * REST jobs created before the cutoff, running or not: no client polls that long, and one
     * still running then belonged to an instance that died before storing its outcome.
     */
    private int deleteHttpJobBatch(LocalDateTime cutoff) {
        return deleteBatch("purge REST jobs created before " + cutoff, HTTP_JOB, HTTP_JOB.JOB_ID,
                HTTP_JOB.CREATED_AT.lt(cutoff), HTTP_JOB.CREATED_AT, HTTP_JOB.JOB_ID);
    }

    /** A lock taken over meanwhile has a new lease, fails the repeated condition and stays. */
    private int deleteLockBatch(LocalDateTime cutoff) {
        return deleteBatch("purge lock rows whose lease ended before " + cutoff, SAMPLE_LOCK, SAMPLE_LOCK.IDENTITY,
                SAMPLE_LOCK.LEASE_UNTIL.lt(cutoff), SAMPLE_LOCK.LEASE_UNTIL, SAMPLE_LOCK.IDENTITY);
    }

    /**
     * Deletes one batch of the oldest rows of {@code table} that meet {@code old}: their keys are
     * read first and the condition is repeated in the delete, so that a row changed meanwhile
     * stays. Returns the batch size read, not the rows deleted: a row someone else deleted
     * meanwhile must not end the round while more old rows wait.
     */
    private <K> int deleteBatch(String what, Table<?> table, Field<K> key, Condition old, OrderField<?>... order) {
        return retrying(what, () -> {
            List<K> keys = dsl.select(key).from(table).where(old).orderBy(order).limit(batchSize).fetch(key);
            if (keys.isEmpty()) {
                return 0;
            }
            dsl.deleteFrom(table).where(key.in(keys)).and(old).execute();
            return keys.size();
        });
    }

    private void releaseLock() {
        try {
            locks.release(LOCK_IDENTITY);
        } catch (RuntimeException e) {
            // Not fatal: the lease expires by itself and another round takes the lock over.
            LOG.warn("Cannot release the purge lock, it expires in at most {}: {}", lease, e.getMessage());
        }
    }

    private <T> T retrying(String operation, Supplier<T> statements) {
        try {
            return retry.run(statements);
        } catch (RuntimeException e) {
            SQLException sql = e instanceof DataAccessException dataAccess ? dataAccess.getCause(SQLException.class) : null;
            throw new StoreException("Cannot " + operation + ": " + (sql != null ? sql.getMessage() : e.toString()), e);
        }
    }

    private static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    private static LocalDateTime toColumn(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
