package org.peekaboo.db;

import static org.peekaboo.db.schema.Tables.SAMPLE_LOCK;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Record4;
import org.jooq.exception.DataAccessException;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sample locks as rows of table {@code sample_lock}, on H2 and MariaDB alike.
 *
 * <p>How acquiring stays race-free without reading first: an {@code INSERT} decides between
 * contenders for a free identity (the primary key lets exactly one insert the row, the others
 * find a duplicate key); only after a duplicate key does a contender try
 * {@code UPDATE … WHERE identity = ? AND lease_until < now}. The database runs that update
 * under the row's exclusive lock against the latest committed row, so after one contender
 * has moved the lease forward the condition no longer matches for anyone else: exactly one
 * takes an expired lease over.
 *
 * <p>Why it does not deadlock like PeekabooAV's in-flight table: every statement is a
 * transaction of its own (the connections must be in auto-commit mode, the JDBC default),
 * and every statement but the look-ups addresses rows by primary key, so no transaction ever
 * holds one lock while waiting for another, and no range or gap of an index is locked on
 * purpose. InnoDB can still pick a victim when a release and several inserts of the same
 * identity meet (inserts that hit a duplicate key take a shared lock and then queue for the
 * exclusive one); such deadlocks and serialization failures roll back only the failing
 * statement, which is retried a few times with a short random back-off and otherwise
 * reported as a {@link StoreException}.
 *
 * <p>Renewals count matched rows, which is what MariaDB Connector/J reports by default; do
 * not set {@code useAffectedRows=true} in the URL.
 */
public final class JooqSampleLocks implements SampleLocks {
    private static final Logger LOG = LoggerFactory.getLogger(JooqSampleLocks.class);

    /** Identities per look-up query: far below every database's limit on statement size. */
    static final int LOOKUP_BATCH = 500;

    private static final String H2_DUPLICATE_KEY_STATE = "23505";
    private static final int MARIADB_DUPLICATE_ENTRY = 1062;

    private final DSLContext dsl;
    private final String owner;
    private final Retry retry;

    /**
     * @param dsl   access to a database migrated with Peekaboo's schema, whose connections are
     *              in auto-commit mode
     * @param owner this instance's generated id, written into every lock it takes
     * @param retry  how statements that lost a deadlock are repeated (shared with the store,
     *               so that a database outage is reported once)
     */
    public JooqSampleLocks(DSLContext dsl, String owner, Retry retry) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.retry = Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(owner, "owner");
        int maxLength = SAMPLE_LOCK.OWNER.getDataType().length();
        if (owner.isBlank() || owner.length() > maxLength) {
            throw new IllegalArgumentException("instance id must have 1 to " + maxLength + " characters, got '"
                    + owner + "'");
        }
        this.owner = owner;
    }

    @Override
    public boolean tryAcquire(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        LocalDateTime taken = toColumn(now);
        LocalDateTime until = toColumn(leaseEnd(now, lease));
        return retrying("take the lock on sample " + identity, () -> {
            if (inserted(identity, taken, until)) {
                return true;
            }
            return dsl.update(SAMPLE_LOCK)
                    .set(SAMPLE_LOCK.OWNER, owner)
                    .set(SAMPLE_LOCK.TAKEN_AT, taken)
                    .set(SAMPLE_LOCK.LEASE_UNTIL, until)
                    .where(SAMPLE_LOCK.IDENTITY.eq(identity))
                    .and(SAMPLE_LOCK.LEASE_UNTIL.lt(taken))
                    .execute() == 1;
        });
    }

    /**
     * False if the identity is locked already. A duplicate key is the expected answer here, for
     * every copy of a popular attachment, so it is asked for as "ignore" ({@code INSERT IGNORE}
     * on MariaDB, whose driver would log every error packet as a warning; {@code MERGE} on H2).
     * The values are checked before, so IGNORE has nothing else to hide. Should H2's MERGE still
     * meet a concurrent insert, the duplicate-key error means the same.
     */
    private boolean inserted(String identity, LocalDateTime taken, LocalDateTime until) {
        try {
            return dsl.insertInto(SAMPLE_LOCK)
                    .set(SAMPLE_LOCK.IDENTITY, identity)
                    .set(SAMPLE_LOCK.OWNER, owner)
                    .set(SAMPLE_LOCK.TAKEN_AT, taken)
                    .set(SAMPLE_LOCK.LEASE_UNTIL, until)
                    .onDuplicateKeyIgnore()
                    .execute() == 1;
        } catch (DataAccessException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean renew(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        LocalDateTime until = toColumn(leaseEnd(now, lease));
        return retrying("renew the lock on sample " + identity, () -> dsl.update(SAMPLE_LOCK)
                .set(SAMPLE_LOCK.LEASE_UNTIL, until)
                .where(SAMPLE_LOCK.IDENTITY.eq(identity))
                .and(SAMPLE_LOCK.OWNER.eq(owner))
                .execute() == 1);
    }

    @Override
    public boolean release(String identity) {
        checkIdentity(identity);
        return retrying("release the lock on sample " + identity, () -> dsl.deleteFrom(SAMPLE_LOCK)
                .where(SAMPLE_LOCK.IDENTITY.eq(identity))
                .and(SAMPLE_LOCK.OWNER.eq(owner))
                .execute() == 1);
    }

    /**
     * Reads this instance's identities first and deletes them by primary key, so that the
     * delete locks those rows only and not a range of the owner index other instances insert into.
     */
    @Override
    public int releaseAll() {
        return retrying("release the locks of instance " + owner, () -> {
            List<String> held = dsl.select(SAMPLE_LOCK.IDENTITY)
                    .from(SAMPLE_LOCK)
                    .where(SAMPLE_LOCK.OWNER.eq(owner))
                    .fetch(SAMPLE_LOCK.IDENTITY);
            int released = 0;
            for (List<String> batch : batches(held)) {
                released += dsl.deleteFrom(SAMPLE_LOCK)
                        .where(SAMPLE_LOCK.IDENTITY.in(batch))
                        .and(SAMPLE_LOCK.OWNER.eq(owner))
                        .execute();
            }
            return released;
        });
    }

    @Override
    public Map<String, Lease> leases(Collection<String> identities) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(identities));
        distinct.forEach(JooqSampleLocks::checkIdentity);
        Map<String, Lease> leases = new HashMap<>();
        for (List<String> batch : batches(distinct)) {
            List<Record4<String, String, LocalDateTime, LocalDateTime>> rows = retrying(
                    "look up the locks on " + distinct.size() + " sample(s)", () -> dsl
                            .select(SAMPLE_LOCK.IDENTITY, SAMPLE_LOCK.OWNER, SAMPLE_LOCK.TAKEN_AT,
                                    SAMPLE_LOCK.LEASE_UNTIL)
                            .from(SAMPLE_LOCK)
                            .where(SAMPLE_LOCK.IDENTITY.in(batch))
                            .fetch());
            for (Record4<String, String, LocalDateTime, LocalDateTime> row : rows) {
                leases.put(row.value1(), new Lease(row.value2(), toInstant(row.value3()), toInstant(row.value4())));
            }
        }
        return Map.copyOf(leases);
    }

    /** The instance id this object takes locks as. */
    public String owner() {
        return owner;
    }

    private <T> T retrying(String operation, Supplier<T> statement) {
        try {
            return retry.run(statement);
        } catch (RuntimeException e) {
            throw failure(operation, e);
        }
    }

    static boolean isDuplicateKey(RuntimeException e) {
        SQLException sql = sqlCause(e);
        return sql != null && (H2_DUPLICATE_KEY_STATE.equals(sql.getSQLState())
                || sql.getErrorCode() == MARIADB_DUPLICATE_ENTRY);
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static StoreException failure(String operation, RuntimeException e) {
        SQLException sql = sqlCause(e);
        String diagnosis = sql != null ? sql.getMessage() : e.toString();
        return new StoreException("Cannot " + operation + ": " + diagnosis, e, TransientFailures.isUnreachable(e));
    }

    private static List<List<String>> batches(List<String> identities) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < identities.size(); from += LOOKUP_BATCH) {
            batches.add(identities.subList(from, Math.min(identities.size(), from + LOOKUP_BATCH)));
        }
        return batches;
    }

    /**
     * Exactly the column's length: CHAR pads shorter values with blanks, which H2 returns and
     * MariaDB strips, so a shorter identity would come back from a look-up under another name.
     */
    private static void checkIdentity(String identity) {
        Objects.requireNonNull(identity, "identity");
        int length = SAMPLE_LOCK.IDENTITY.getDataType().length();
        if (identity.length() != length) {
            throw new IllegalArgumentException("sample identity must have " + length + " characters, got '"
                    + identity + "'");
        }
    }

    private static Instant leaseEnd(Instant now, Duration lease) {
        Objects.requireNonNull(now, "now");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        return now.plus(lease);
    }

    private static LocalDateTime toColumn(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    static Instant toInstant(LocalDateTime column) {
        return column.toInstant(ZoneOffset.UTC);
    }
}
