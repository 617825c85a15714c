package org.peekaboo.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sample locks for a store that no other instance can open (the embedded H2 database): locks
 * live in this process only and cost no statement. They keep the contract of {@link SampleLocks}
 * (leases, take-over after expiry, the purge lock), so the engine and the purger treat both kinds
 * alike. Thread-safe.
 */
public final class LocalSampleLocks implements SampleLocks {
    private final String owner;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    public LocalSampleLocks(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    @Override
    public boolean tryAcquire(String identity, Instant now, Duration lease) {
        Lease mine = new Lease(owner, now, now.plus(lease));
        boolean[] acquired = {false};
        leases.compute(identity, (key, current) -> {
            if (current == null || current.expiredAt(now)) {
                acquired[0] = true;
                return mine;
            }
            return current;
        });
        return acquired[0];
    }

    @Override
    public boolean renew(String identity, Instant now, Duration lease) {
        return leases.computeIfPresent(identity, (key, current) -> new Lease(owner, current.takenAt(),
                now.plus(lease))) != null;
    }

    @Override
    public boolean release(String identity) {
        return leases.remove(identity) != null;
    }

    @Override
    public int releaseAll() {
        int held = leases.size();
        leases.clear();
        return held;
    }

    @Override
    public Map<String, Lease> leases(Collection<String> identities) {
        Map<String, Lease> found = new HashMap<>();
        for (String identity : identities) {
            Lease lease = leases.get(identity);
            if (lease != null) {
                found.put(identity, lease);
            }
        }
        return found;
    }

    @Override
    public boolean sharedWithOtherInstances() {
        return false;
    }
}
