package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.analysis.SampleLocks.Lease;
import org.peekaboo.db.testing.TestRetry;

/**
 * What the sample locks must guarantee, whatever database is behind them. Subclasses supply
 * an open, migrated database; the tests use fresh identities and instance ids, so one
 * database may serve all of them.
 */
public abstract class SampleLocksContract {
    private static final Instant T0 = Instant.parse("2030-03-31T01:30:00.123Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int CONTENDERS = 16;

    private Database database;
    private ExecutorService executor;

    /** Opens the database under test; every call must reach the same data. */
    protected abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        // One more than the contenders: the release races them on a thread of its own.
        executor = Executors.newFixedThreadPool(CONTENDERS + 1);
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        database.close();
    }

    /** The database under test, for subclasses' own tests. */
    protected final Database database() {
        return database;
    }

    /** Locks held as a freshly generated instance id. */
    protected final JooqSampleLocks newInstance() {
        return new JooqSampleLocks(database.dsl(), "instance-" + randomHex(8), TestRetry.defaults());
    }

    @Test
    void aLockIsHeldByOneOwnerUntilReleased() {
        SampleLocks first = newInstance();
        SampleLocks second = newInstance();
        String identity = identity();

        assertThat(first.tryAcquire(identity, T0, LEASE)).isTrue();
        assertThat(second.tryAcquire(identity, T0.plusSeconds(1), LEASE)).isFalse();
        assertThat(second.release(identity)).as("release by another instance").isFalse();
        assertThat(second.tryAcquire(identity, T0.plusSeconds(2), LEASE)).isFalse();

        assertThat(first.release(identity)).isTrue();
        assertThat(first.release(identity)).as("second release").isFalse();
        assertThat(second.tryAcquire(identity, T0.plusSeconds(3), LEASE)).isTrue();
        assertThat(first.tryAcquire(identity, T0.plusSeconds(4), LEASE)).isFalse();
    }

    @Test
    void aLockIsNotReentrantSoTwoWorkersOfOneInstanceCannotBothHoldIt() {
        SampleLocks locks = newInstance();
        String identity = identity();

        assertThat(locks.tryAcquire(identity, T0, LEASE)).isTrue();
        assertThat(locks.tryAcquire(identity, T0.plusSeconds(1), LEASE)).isFalse();
    }

    @Test
    void theLeaseRecordsOwnerTimeTakenAndExpiryToTheMillisecond() {
        JooqSampleLocks locks = newInstance();
        String identity = identity();
        Instant withNanos = Instant.parse("2031-10-26T23:59:59.987654321Z");

        locks.tryAcquire(identity, withNanos, LEASE);

        assertThat(locks.leases(List.of(identity))).containsExactly(Map.entry(identity, new Lease(locks.owner(),
                Instant.parse("2031-10-26T23:59:59.987Z"), Instant.parse("2031-10-27T00:00:29.987Z"))));
    }

    @Test
    void renewalExtendsTheLeaseSoItIsNotTakenOver() {
        JooqSampleLocks owner = newInstance();
        SampleLocks other = newInstance();
        String identity = identity();
        owner.tryAcquire(identity, T0, LEASE);

        assertThat(owner.renew(identity, T0.plusSeconds(20), LEASE)).isTrue();

        assertThat(owner.leases(List.of(identity)).get(identity))
                .isEqualTo(new Lease(owner.owner(), T0, T0.plusSeconds(50)));
        assertThat(other.tryAcquire(identity, T0.plusSeconds(40), LEASE)).as("within the renewed lease").isFalse();
        assertThat(other.tryAcquire(identity, T0.plusSeconds(50), LEASE)).as("at its last instant").isFalse();
        assertThat(other.tryAcquire(identity, T0.plusSeconds(50).plusMillis(1), LEASE)).as("after it").isTrue();
    }

    @Test
    void renewalByAnotherInstanceFailsAndLeavesTheLeaseAlone() {
        JooqSampleLocks owner = newInstance();
        SampleLocks other = newInstance();
        String identity = identity();
        owner.tryAcquire(identity, T0, LEASE);

        assertThat(other.renew(identity, T0.plusSeconds(20), LEASE)).isFalse();
        assertThat(other.renew(identity(), T0.plusSeconds(20), LEASE)).as("renewing an unlocked identity").isFalse();

        assertThat(owner.leases(List.of(identity)).get(identity))
                .isEqualTo(new Lease(owner.owner(), T0, T0.plus(LEASE)));
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsFormerOwnerLearnsOnRenewal() {
        SampleLocks crashed = newInstance();
        JooqSampleLocks successor = newInstance();
        String identity = identity();
        crashed.tryAcquire(identity, T0, LEASE);
        Instant later = T0.plus(LEASE).plusSeconds(1);

        assertThat(successor.tryAcquire(identity, later, LEASE)).isTrue();

        assertThat(successor.leases(List.of(identity)).get(identity))
                .isEqualTo(new Lease(successor.owner(), later, later.plus(LEASE)));
        assertThat(crashed.renew(identity, later.plusSeconds(1), LEASE)).isFalse();
        assertThat(crashed.release(identity)).isFalse();
        assertThat(successor.leases(List.of(identity))).containsKey(identity);
    }

    @Test
    void anExpiredLeaseNobodyTookOverIsStillRenewedByItsOwner() {
        SampleLocks owner = newInstance();
        SampleLocks other = newInstance();
        String identity = identity();
        owner.tryAcquire(identity, T0, LEASE);
        Instant late = T0.plus(LEASE).plusSeconds(5);

        assertThat(owner.renew(identity, late, LEASE)).isTrue();
        assertThat(other.tryAcquire(identity, late.plusSeconds(1), LEASE)).isFalse();
    }

    @Test
    @Timeout(300)
    void twoThreadsRacingForOneIdentityGiveItExactlyOneOwner() throws Exception {
        for (int round = 0; round < 200; round++) {
            String identity = identity();
            assertExactlyOneWinner(identity, race(2, identity, T0));
        }
    }

    @Test
    @Timeout(300)
    void anExpiredLeaseIsTakenOverByExactlyOneOfSixteenContenders() throws Exception {
        for (int round = 0; round < 30; round++) {
            String identity = identity();
            newInstance().tryAcquire(identity, T0, LEASE);

            assertExactlyOneWinner(identity, race(CONTENDERS, identity, T0.plus(LEASE).plusSeconds(1)));
        }
    }

    @Test
    @Timeout(300)
    void sixteenContendersRacingAReleaseGetAtMostOneOwnerAndNoErrors() throws Exception {
        for (int round = 0; round < 30; round++) {
            String identity = identity();
            SampleLocks holder = newInstance();
            holder.tryAcquire(identity, T0, LEASE);
            CyclicBarrier start = new CyclicBarrier(CONTENDERS + 1);
            Future<Boolean> release = executor.submit(() -> {
                start.await();
                return holder.release(identity);
            });
            List<Contender> contenders = contenders(CONTENDERS, identity, T0.plusSeconds(1), start);

            assertThat(release.get(60, TimeUnit.SECONDS)).isTrue();
            List<Contender> winners = winners(contenders);
            assertThat(winners).as("winners of round %d", round).hasSizeLessThanOrEqualTo(1);
            Map<String, Lease> leases = holder.leases(List.of(identity));
            if (winners.isEmpty()) {
                assertThat(leases).isEmpty();
            } else {
                assertThat(leases.get(identity).owner()).isEqualTo(winners.getFirst().locks().owner());
            }
        }
    }

    @Test
    void releaseAllReleasesOnlyThisInstancesLocks() {
        SampleLocks leaving = newInstance();
        JooqSampleLocks staying = newInstance();
        List<String> leavingIdentities = List.of(identity(), identity(), identity());
        List<String> stayingIdentities = List.of(identity(), identity());
        leavingIdentities.forEach(identity -> leaving.tryAcquire(identity, T0, LEASE));
        stayingIdentities.forEach(identity -> staying.tryAcquire(identity, T0, LEASE));

        assertThat(leaving.releaseAll()).isEqualTo(3);
        assertThat(leaving.releaseAll()).isZero();

        List<String> all = new ArrayList<>(leavingIdentities);
        all.addAll(stayingIdentities);
        assertThat(staying.leases(all)).containsOnlyKeys(stayingIdentities);
        assertThat(newInstance().tryAcquire(leavingIdentities.getFirst(), T0, LEASE)).isTrue();
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
        JooqSampleLocks owner = newInstance();
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
            assertThat(lease.owner()).isEqualTo(owner.owner());
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
    void malformedArgumentsAreRefusedBeforeTheDatabaseIsAsked() {
        SampleLocks locks = newInstance();

        assertThatThrownBy(() -> locks.tryAcquire("abc", T0, LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 characters, got 'abc'");
        assertThatThrownBy(() -> locks.tryAcquire(identity(), T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
        assertThatThrownBy(() -> locks.renew(identity(), T0, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
        assertThatThrownBy(() -> new JooqSampleLocks(database.dsl(), "x".repeat(65), TestRetry.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 64 characters");
    }

    @Test
    void everyFailureOfTheDatabaseBecomesAStoreExceptionNamingTheOperation() {
        JooqSampleLocks locks = newInstance();
        String identity = identity();
        database.close();

        assertThatThrownBy(() -> locks.tryAcquire(identity, T0, LEASE)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot take the lock on sample " + identity + ": ");
        assertThatThrownBy(() -> locks.renew(identity, T0, LEASE)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot renew the lock on sample " + identity + ": ");
        assertThatThrownBy(() -> locks.release(identity)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot release the lock on sample " + identity + ": ");
        assertThatThrownBy(locks::releaseAll).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot release the locks of instance " + locks.owner() + ": ");
        assertThatThrownBy(() -> locks.leases(List.of(identity))).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot look up the locks on 1 sample(s): ");
    }

    private record Contender(JooqSampleLocks locks, Future<Boolean> acquired) {
    }

    private List<Contender> race(int count, String identity, Instant now) throws Exception {
        return contenders(count, identity, now, new CyclicBarrier(count));
    }

    /** {@code count} instances that each try to acquire once {@code start} opens. */
    private List<Contender> contenders(int count, String identity, Instant now, CyclicBarrier start) {
        List<Contender> contenders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JooqSampleLocks locks = newInstance();
            Callable<Boolean> attempt = () -> {
                start.await();
                return locks.tryAcquire(identity, now, LEASE);
            };
            contenders.add(new Contender(locks, executor.submit(attempt)));
        }
        return contenders;
    }

    private static List<Contender> winners(List<Contender> contenders) throws Exception {
        List<Contender> winners = new ArrayList<>();
        for (Contender contender : contenders) {
            if (contender.acquired().get(60, TimeUnit.SECONDS)) {
                winners.add(contender);
            }
        }
        return winners;
    }

    private void assertExactlyOneWinner(String identity, List<Contender> contenders) throws Exception {
        List<Contender> winners = winners(contenders);
        assertThat(winners).hasSize(1);
        assertThat(winners.getFirst().locks().leases(Set.of(identity)).get(identity).owner())
                .isEqualTo(winners.getFirst().locks().owner());
    }

    /** A fresh sample identity: 64 hex digits like SampleIdentity's. */
    protected static String identity() {
        return randomHex(32);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
