package org.peekaboo.analysis.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;

/**
 * Lock rows in memory, shared by "this" instance and a simulated other instance that the test
 * drives, and with further instances over the same {@link Table}; counts the calls so that tests
 * can check how often the database would be asked. It keeps {@link SampleLocksContract} as the
 * lock rows do, refusing what they refuse, so that engine tests cannot count on what they do not.
 */
public final class FakeSampleLocks implements SampleLocks {
    public static final String OTHER = "other-instance";

    /** The length of a sample identity (SHA-256 in hex), the only length the lock rows take. */
    private static final int IDENTITY_LENGTH = 64;

    private final String owner;
    /** Its monitor guards {@link #rows} for every instance over the table. */
    private final Table table;
    private final Map<String, Lease> rows;
    private final AtomicInteger leaseQueries = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger acquireAttempts = new AtomicInteger();
    private final AtomicReference<StoreException> acquireFailure = new AtomicReference<>();
    private final AtomicBoolean failRelease = new AtomicBoolean();
    private final AtomicBoolean failAfterAcquiring = new AtomicBoolean();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final List<Integer> leaseQuerySizes = new CopyOnWriteArrayList<>();

    /** Lock rows that several instances share, as they share one database's table. */
    public static final class Table {
        private final Map<String, Lease> rows = new HashMap<>();
    }

    /** The locks of {@code owner} over a table of their own. */
    public FakeSampleLocks(String owner) {
        this(owner, new Table());
    }

    /** The locks of {@code owner} over {@code table}; calls and failures are this instance's own. */
    public FakeSampleLocks(String owner, Table table) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.table = Objects.requireNonNull(table, "table");
        this.rows = table.rows;
    }

    /** The other instance takes the lock (as if it had won the race). */
    public void holdElsewhere(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        Instant until = leaseEnd(now, lease);
        synchronized (table) {
            rows.put(identity, new Lease(OTHER, now, until));
        }
    }

    /** The other instance finished and released its lock. */
    public void releaseElsewhere(String identity) {
        checkIdentity(identity);
        synchronized (table) {
            rows.remove(identity);
        }
    }

    public void failAcquire(boolean fail) {
        acquireFailure.set(fail ? new StoreException("lock table unavailable on purpose", null) : null);
    }

    /** Every tryAcquire throws {@code failure} until told otherwise with {@code failAcquire(false)}. */
    public void failAcquire(StoreException failure) {
        acquireFailure.set(failure);
    }

    /**
     * Acquisitions take the row and then throw, as when the database committed the insert but
     * went away before it could say so.
     */
    public void failAfterAcquiring(boolean fail) {
        failAfterAcquiring.set(fail);
    }

    /** Releases throw and leave the row, as when the database went away after the analysis. */
    public void failRelease(boolean fail) {
        failRelease.set(fail);
    }

    public Map<String, Lease> rows() {
        synchronized (table) {
            return Map.copyOf(rows);
        }
    }

    public int leaseQueries() {
        return leaseQueries.get();
    }

    public List<Integer> leaseQuerySizes() {
        return List.copyOf(leaseQuerySizes);
    }

    public int renewals() {
        return renewals.get();
    }

    /** How often a lock was asked for, won or not. */
    public int acquireAttempts() {
        return acquireAttempts.get();
    }

    public List<String> released() {
        return List.copyOf(released);
    }

    @Override
    public boolean tryAcquire(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        Instant until = leaseEnd(now, lease);
        acquireAttempts.incrementAndGet();
        StoreException failure = acquireFailure.get();
        if (failure != null) {
            throw failure;
        }
        synchronized (table) {
            Lease current = rows.get(identity);
            if (current != null && !current.expiredAt(now)) {
                return false;
            }
            rows.put(identity, new Lease(owner, now, until));
        }
        if (failAfterAcquiring.get()) {
            throw new StoreException("the connection broke before the insert was confirmed", null, true);
        }
        return true;
    }

    @Override
    public boolean renew(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        Instant until = leaseEnd(now, lease);
        renewals.incrementAndGet();
        synchronized (table) {
            Lease current = rows.get(identity);
            if (current == null || !current.owner().equals(owner)) {
                return false;
            }
            rows.put(identity, new Lease(owner, current.takenAt(), until));
            return true;
        }
    }

    @Override
    public boolean release(String identity) {
        checkIdentity(identity);
        if (failRelease.get()) {
            throw new StoreException("release failed on purpose", null, true);
        }
        synchronized (table) {
            Lease current = rows.get(identity);
            if (current == null || !current.owner().equals(owner)) {
                return false;
            }
            rows.remove(identity);
            released.add(identity);
            return true;
        }
    }

    @Override
    public int releaseAll() {
        synchronized (table) {
            List<String> mine = rows.entrySet().stream()
                    .filter(entry -> entry.getValue().owner().equals(owner)).map(Map.Entry::getKey).toList();
            mine.forEach(this::release);
            return mine.size();
        }
    }

    @Override
    public Map<String, Lease> leases(Collection<String> identities) {
        identities.forEach(FakeSampleLocks::checkIdentity);
        leaseQueries.incrementAndGet();
        leaseQuerySizes.add(identities.size());
        Map<String, Lease> found = new HashMap<>();
        synchronized (table) {
            for (String identity : identities) {
                Lease lease = rows.get(identity);
                if (lease != null) {
                    found.put(identity, lease);
                }
            }
        }
        return found;
    }

    /** The lock rows refuse any other length (their CHAR column would pad a shorter one). */
    private static void checkIdentity(String identity) {
        Objects.requireNonNull(identity, "identity");
        if (identity.length() != IDENTITY_LENGTH) {
            throw new IllegalArgumentException("sample identity must have " + IDENTITY_LENGTH
                    + " characters, got '" + identity + "'");
        }
    }

    private static Instant leaseEnd(Instant now, Duration lease) {
        Objects.requireNonNull(now, "now");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, got " + lease);
        }
        return now.plus(lease);
    }
}
