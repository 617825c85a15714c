package org.peekaboo.analysis.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;

/**
 * Lock rows in memory, shared by "this" instance and a simulated other instance that the test
 * drives; counts the calls so that tests can check how often the database would be asked.
 */
public final class FakeSampleLocks implements SampleLocks {
    public static final String OTHER = "other-instance";

    private final String owner;
    private final Map<String, Lease> rows = new HashMap<>();
    private final AtomicInteger leaseQueries = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger acquireAttempts = new AtomicInteger();
    private final AtomicReference<StoreException> acquireFailure = new AtomicReference<>();
    private final AtomicBoolean failRelease = new AtomicBoolean();
    private final AtomicBoolean failAfterAcquiring = new AtomicBoolean();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final List<Integer> leaseQuerySizes = new CopyOnWriteArrayList<>();

    public FakeSampleLocks(String owner) {
        this.owner = owner;
    }

    /** The other instance takes the lock (as if it had won the race). */
    public synchronized void holdElsewhere(String identity, Instant now, Duration lease) {
        rows.put(identity, new Lease(OTHER, now, now.plus(lease)));
    }

    /** The other instance finished and released its lock. */
    public synchronized void releaseElsewhere(String identity) {
        rows.remove(identity);
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

    public synchronized Map<String, Lease> rows() {
        return Map.copyOf(rows);
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
    public synchronized boolean tryAcquire(String identity, Instant now, Duration lease) {
        acquireAttempts.incrementAndGet();
        StoreException failure = acquireFailure.get();
        if (failure != null) {
            throw failure;
        }
        Lease current = rows.get(identity);
        if (current != null && !current.expiredAt(now)) {
            return false;
        }
        rows.put(identity, new Lease(owner, now, now.plus(lease)));
        if (failAfterAcquiring.get()) {
            throw new StoreException("the connection broke before the insert was confirmed", null, true);
        }
        return true;
    }

    @Override
    public synchronized boolean renew(String identity, Instant now, Duration lease) {
        renewals.incrementAndGet();
        Lease current = rows.get(identity);
        if (current == null || !current.owner().equals(owner)) {
            return false;
        }
        rows.put(identity, new Lease(owner, current.takenAt(), now.plus(lease)));
        return true;
    }

    @Override
    public synchronized boolean release(String identity) {
        if (failRelease.get()) {
            throw new StoreException("release failed on purpose", null, true);
        }
        Lease current = rows.get(identity);
        if (current == null || !current.owner().equals(owner)) {
            return false;
        }
        rows.remove(identity);
        released.add(identity);
        return true;
    }

    @Override
    public synchronized int releaseAll() {
        List<String> mine = rows.entrySet().stream()
                .filter(entry -> entry.getValue().owner().equals(owner)).map(Map.Entry::getKey).toList();
        mine.forEach(this::release);
        return mine.size();
    }

    @Override
    public synchronized Map<String, Lease> leases(Collection<String> identities) {
        leaseQueries.incrementAndGet();
        leaseQuerySizes.add(identities.size());
        Map<String, Lease> found = new HashMap<>();
        for (String identity : identities) {
            Lease lease = rows.get(identity);
            if (lease != null) {
                found.put(identity, lease);
            }
        }
        return found;
    }
}
