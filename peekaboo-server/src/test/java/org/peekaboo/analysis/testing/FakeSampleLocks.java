package org.peekaboo.analysis.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.LocalSampleLocks;
import org.peekaboo.analysis.SampleLocks;

/**
 * The in-process locks of {@link LocalSampleLocks}, shared by "this" instance and a simulated
 * other instance that the test drives (and further instances over the same {@link Table}), with
 * failures on demand and counts of the calls, so that tests can check how often the database
 * would be asked. The lock semantics are the production class's own, which
 * {@link SampleLocksContract} checks as it checks the lock rows', so engine tests cannot count on
 * what the real locks do not do.
 */
public final class FakeSampleLocks implements SampleLocks {
    public static final String OTHER = "other-instance";

    private final String owner;
    private final LocalSampleLocks.Table table;
    private final LocalSampleLocks mine;
    private final LocalSampleLocks other;
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
        private final LocalSampleLocks.Table locks = new LocalSampleLocks.Table();
    }

    /** The locks of {@code owner} over a table of their own. */
    public FakeSampleLocks(String owner) {
        this(owner, new Table());
    }

    /** The locks of {@code owner} over {@code table}; calls and failures are this instance's own. */
    public FakeSampleLocks(String owner, Table table) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.table = Objects.requireNonNull(table, "table").locks;
        this.mine = new LocalSampleLocks(owner, this.table);
        this.other = new LocalSampleLocks(OTHER, this.table);
    }

    /**
     * The other instance takes the lock: as if it had won the race for a free one, or had taken
     * this instance's lease over after it expired (without the test moving its clock).
     */
    public void holdElsewhere(String identity, Instant now, Duration lease) {
        if (!other.tryAcquire(identity, now, lease)) {
            mine.release(identity);
            if (!other.tryAcquire(identity, now, lease)) {
                throw new IllegalStateException("a third instance holds " + identity);
            }
        }
    }

    /** The other instance finished and released its lock. */
    public void releaseElsewhere(String identity) {
        other.release(identity);
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
        return table.snapshot();
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
        acquireAttempts.incrementAndGet();
        StoreException failure = acquireFailure.get();
        if (failure != null) {
            throw failure;
        }
        boolean taken = mine.tryAcquire(identity, now, lease);
        if (taken && failAfterAcquiring.get()) {
            throw new StoreException("the connection broke before the insert was confirmed", null, true);
        }
        return taken;
    }

    @Override
    public boolean renew(String identity, Instant now, Duration lease) {
        renewals.incrementAndGet();
        return mine.renew(identity, now, lease);
    }

    @Override
    public boolean release(String identity) {
        if (failRelease.get()) {
            throw new StoreException("release failed on purpose", null, true);
        }
        boolean releasedNow = mine.release(identity);
        if (releasedNow) {
            released.add(identity);
        }
        return releasedNow;
    }

    @Override
    public int releaseAll() {
        List<String> held = table.snapshot().entrySet().stream()
                .filter(entry -> entry.getValue().owner().equals(owner)).map(Map.Entry::getKey).toList();
        held.forEach(this::release);
        return held.size();
    }

    @Override
    public Map<String, Lease> leases(Collection<String> identities) {
        Map<String, Lease> found = mine.leases(identities);
        leaseQueries.incrementAndGet();
        leaseQuerySizes.add(identities.size());
        return found;
    }
}
