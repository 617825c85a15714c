package org.peekaboo.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Sample locks for a store that no other process can open (the embedded H2 database): locks
 * live in this process only and cost no statement. They keep the contract of {@link SampleLocks}
 * (leases, take-over after expiry, the purge lock, identities of 64 characters), so the engine
 * and the purger treat both kinds alike. Thread-safe.
 *
 * <p>Several instances in one process (tests, or an in-process cluster) may share the locks of
 * one {@link Table}, as instances share a database's lock rows; each releases and renews its
 * own locks only.
 */
public final class LocalSampleLocks implements SampleLocks {
    /** The length of a sample identity (SHA-256 in hex); the lock rows of a database take no other. */
    private static final int IDENTITY_LENGTH = 64;

    private final String owner;
    private final ConcurrentMap<String, Lease> leases;
    private final boolean shared;

    /** The locks of several instances in one process, by identity. */
    public static final class Table {
        private final ConcurrentMap<String, Lease> leases = new ConcurrentHashMap<>();

        /** Every lock held now, whoever holds it. */
        public Map<String, Lease> snapshot() {
            return Map.copyOf(leases);
        }
    }

    /** The locks of {@code owner}, the only instance that can take them. */
    public LocalSampleLocks(String owner) {
        this(owner, new Table(), false);
    }

    /** The locks of {@code owner} in {@code table}, which other instances in this process share. */
    public LocalSampleLocks(String owner, Table table) {
        this(owner, table, true);
    }

    private LocalSampleLocks(String owner, Table table, boolean shared) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.leases = Objects.requireNonNull(table, "table").leases;
        this.shared = shared;
    }

    @Override
    public boolean tryAcquire(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        Lease mine = new Lease(owner, now, leaseEnd(now, lease));
        // Decided under the map's lock on the identity: of concurrent callers, one finds it free and
        // gets its very lease back.
        return leases.compute(identity, (key, current) ->
                current == null || current.expiredAt(now) ? mine : current) == mine;
    }

    @Override
    public boolean renew(String identity, Instant now, Duration lease) {
        checkIdentity(identity);
        Instant until = leaseEnd(now, lease);
        Lease renewed = leases.computeIfPresent(identity, (key, current) ->
                current.owner().equals(owner) ? new Lease(owner, current.takenAt(), until) : current);
        return renewed != null && renewed.owner().equals(owner);
    }

    @Override
    public boolean release(String identity) {
        checkIdentity(identity);
        return removeIfMine(identity);
    }

    @Override
    public int releaseAll() {
        int released = 0;
        for (String identity : leases.keySet()) {
            if (removeIfMine(identity)) {
                released++;
            }
        }
        return released;
    }

    private boolean removeIfMine(String identity) {
        boolean[] removed = {false};
        leases.computeIfPresent(identity, (key, current) -> {
            removed[0] = current.owner().equals(owner);
            return removed[0] ? null : current;
        });
        return removed[0];
    }

    @Override
    public Map<String, Lease> leases(Collection<String> identities) {
        identities.forEach(LocalSampleLocks::checkIdentity);
        Map<String, Lease> found = new HashMap<>();
        for (String identity : identities) {
            Lease lease = leases.get(identity);
            if (lease != null) {
                found.put(identity, lease);
            }
        }
        return found;
    }

    /**
     * True only for a shared {@link Table}: then another instance may take a lock over or finish a
     * sample behind this one's back; alone, nothing can.
     */
    @Override
    public boolean sharedWithOtherInstances() {
        return shared;
    }

    /**
     * Refused as the lock rows of a database refuse them, so that a caller that passes anything
     * but a sample identity fails on the embedded database as it would on a shared one.
     */
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
