package org.peekaboo.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.peekaboo.analysis.AnalysisStore.StoreException;

/**
 * Cluster-wide locks on sample identities, so that instances sharing one database analyse
 * an attachment once. A lock is a lease: its owner renews it while it works and releases it
 * when the result is stored; a lease that is not renewed in time may be taken over by one
 * other instance. Every lock is held by this instance (the owner given when the locks were
 * created). Not reentrant: an identity this instance already holds is not acquired again, so
 * two workers of one process cannot both analyse it.
 *
 * <p>Time comes from the caller, so the instances must keep their clocks in step (NTP); a
 * clock that runs ahead takes leases over early. Implementations are blocking and
 * thread-safe; every method may throw {@link StoreException}, which callers treat as
 * "not locked by me": the sample stays undecided, it never passes.
 */
public interface SampleLocks {

    /**
     * Takes the lock on {@code identity} for {@code lease} from {@code now}: true if the
     * identity was not locked or its lease had expired before {@code now}, false if any
     * owner (this instance included) holds a live lease. Of any number of concurrent
     * callers, in this or other processes, at most one gets true.
     */
    boolean tryAcquire(String identity, Instant now, Duration lease);

    /**
     * Extends this instance's lease on {@code identity} to {@code now + lease}. False if this
     * instance no longer holds the lock (released, or taken over after the lease expired);
     * the caller's analysis is then duplicated work and must not count on the lock. A lease
     * that expired but was not taken over yet is still this instance's and is renewed.
     */
    boolean renew(String identity, Instant now, Duration lease);

    /** Releases this instance's lock on {@code identity}; false if it held none. */
    boolean release(String identity);

    /** Releases every lock this instance holds, e.g. at shutdown; returns how many. */
    int releaseAll();

    /**
     * The current leases on those of {@code identities} that are locked, by identity, read in
     * as few queries as possible (one per several hundred identities) so that many waiters
     * are served by one look-up. An identity without an entry is not locked.
     */
    Map<String, Lease> leases(Collection<String> identities);

    /**
     * Whether other instances take these locks too. Then a sample this instance just locked may
     * have been finished by another one since it was last looked up; with locks of this process
     * only, nothing can finish a sample behind its back.
     */
    default boolean sharedWithOtherInstances() {
        return true;
    }

    /** Who holds a lock, since when and until when. */
    record Lease(String owner, Instant takenAt, Instant leaseUntil) {
        public Lease {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(takenAt, "takenAt");
            Objects.requireNonNull(leaseUntil, "leaseUntil");
        }

        /** Whether another instance may take the lock over at {@code now}. */
        public boolean expiredAt(Instant now) {
            return leaseUntil.isBefore(now);
        }
    }
}
