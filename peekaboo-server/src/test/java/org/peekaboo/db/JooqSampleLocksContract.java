package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.analysis.SampleLocks.Lease;
import org.peekaboo.analysis.testing.SampleLocksContract;
import org.peekaboo.db.testing.TestRetry;
import org.peekaboo.status.DaemonStatus;

/**
 * The lock contract on the lock rows of a database, and what only a database can be asked: how
 * its columns keep a lease, how many queries a look-up takes, and what becomes of a failing
 * database.
 */
public abstract class JooqSampleLocksContract extends SampleLocksContract {
    private Database database;

    /** Opens the database under test, migrated; every call must reach the same data. */
    protected abstract Database openDatabase();

    @BeforeEach
    void openDatabaseForTheTest() {
        database = openDatabase();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Override
    protected final SampleLocks locksOf(String owner) {
        return new JooqSampleLocks(database.dsl(), owner, TestRetry.defaults());
    }

    @Test
    void theLeaseRecordsOwnerTimeTakenAndExpiryToTheMillisecond() {
        SampleLocks locks = newInstance();
        String identity = identity();
        Instant withNanos = Instant.parse("2031-10-26T23:59:59.987654321Z");

        locks.tryAcquire(identity, withNanos, LEASE);

        assertThat(locks.leases(List.of(identity))).containsExactly(Map.entry(identity, new Lease(ownerOf(locks),
                Instant.parse("2031-10-26T23:59:59.987Z"), Instant.parse("2031-10-27T00:00:29.987Z"))));
    }

    @Test
    void theHoldersAreCountedPerInstanceWithTheirNewestLock() {
        SampleLocks one = newInstance();
        SampleLocks other = newInstance();
        Instant first = Instant.parse("2031-10-26T10:00:00.125Z");
        one.tryAcquire(identity(), first, LEASE);
        one.tryAcquire(identity(), first.plusSeconds(5), LEASE);
        other.tryAcquire(identity(), first.plusSeconds(1), LEASE);

        // Other tests' instances may hold rows of a shared database too.
        assertThat(database.lockHolders().holders())
                .filteredOn(holder -> List.of(ownerOf(one), ownerOf(other)).contains(holder.id()))
                .containsExactlyInAnyOrder(new DaemonStatus.Instance(ownerOf(one), 2, first.plusSeconds(5)),
                        new DaemonStatus.Instance(ownerOf(other), 1, first.plusSeconds(1)));
    }

    @Test
    void leasesOfManyIdentitiesAreReadInOneQueryPerBatch() {
        AtomicInteger queries = new AtomicInteger();
        DSLContext counting = DSL.using(database.dsl().configuration()
                .derive(new DefaultExecuteListenerProvider(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext context) {
                        queries.incrementAndGet();
                    }
                })));
        SampleLocks owner = newInstance();
        JooqSampleLocks waiter = new JooqSampleLocks(counting, "waiter-" + randomHex(4), TestRetry.defaults());
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < JooqSampleLocks.LOOKUP_BATCH + 100; i++) {
            identities.add(identity());
        }
        List<String> locked = List.of(identities.get(3), identities.get(JooqSampleLocks.LOOKUP_BATCH + 7));
        locked.forEach(identity -> owner.tryAcquire(identity, T0, LEASE));

        Map<String, Lease> leases = waiter.leases(identities);

        assertThat(leases).containsOnlyKeys(locked);
        assertThat(leases.values()).allSatisfy(lease -> {
            assertThat(lease.owner()).isEqualTo(ownerOf(owner));
            assertThat(lease.expiredAt(T0.plus(LEASE))).isFalse();
            assertThat(lease.expiredAt(T0.plus(LEASE).plusMillis(1))).isTrue();
        });
        assertThat(queries).hasValue(2);

        queries.set(0);
        assertThat(waiter.leases(identities.subList(0, 20))).containsOnlyKeys(identities.get(3));
        assertThat(queries).hasValue(1);
        assertThat(waiter.leases(List.of())).isEmpty();
        assertThat(queries).as("no query for no identities").hasValue(1);
    }

    @Test
    void anInstanceIdLongerThanItsColumnIsRefused() {
        assertThatThrownBy(() -> new JooqSampleLocks(database.dsl(), "x".repeat(65), TestRetry.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 64 characters");
    }

    @Test
    void everyFailureOfTheDatabaseBecomesAStoreExceptionNamingTheOperation() {
        SampleLocks locks = newInstance();
        String identity = identity();
        database.close();

        assertThatThrownBy(() -> locks.tryAcquire(identity, T0, LEASE)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot take the lock on sample " + identity + ": ");
        assertThatThrownBy(() -> locks.renew(identity, T0, LEASE)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot renew the lock on sample " + identity + ": ");
        assertThatThrownBy(() -> locks.release(identity)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot release the lock on sample " + identity + ": ");
        assertThatThrownBy(locks::releaseAll).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot release the locks of instance " + ownerOf(locks) + ": ");
        assertThatThrownBy(() -> locks.leases(List.of(identity))).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot look up the locks on 1 sample(s): ");
    }
}
