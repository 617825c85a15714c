package org.peekaboo.analysis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.analysis.SampleLocks.Lease;

/**
 * What the sample locks must guarantee, whatever keeps them: the lock rows of the databases
 * (through {@code org.peekaboo.db.JooqSampleLocksContract}, which adds what only a database can
 * be asked), the locks of one process and the fake the engine tests use, so that neither can
 * promise the engine what the lock rows do not. Subclasses supply the locks of any number of
 * instances over one lock table; the tests use fresh identities and instance ids, so one table
 * may serve all of them.
 */
public abstract class SampleLocksContract {
    protected static final Instant T0 = Instant.parse("2030-03-31T01:30:00.123Z");
    protected static final Duration LEASE = Duration.ofSeconds(30);
    private static final int CONTENDERS = 16;

    private final Map<SampleLocks, String> owners = new IdentityHashMap<>();
    private ExecutorService executor;

    /**
     * The locks of instance {@code owner}; every call within a test must reach the same lock
     * table, as instances sharing one database do.
     */
    protected abstract SampleLocks locksOf(String owner);

    @BeforeEach
    void startExecutor() {
        // One more than the contenders: the release races them on a thread of its own.
        executor = Executors.newFixedThreadPool(CONTENDERS + 1);
    }

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    /** Locks held as a freshly generated instance id. */
    protected final SampleLocks newInstance() {
        String owner = "instance-" + randomHex(8);
        SampleLocks locks = locksOf(owner);
        owners.put(locks, owner);
        return locks;
    }

    /** The instance id {@code locks} were made for by {@link #newInstance()}. */
    protected final String ownerOf(SampleLocks locks) {
        return owners.get(locks);
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
    void theLeaseRecordsOwnerTimeTakenAndExpiry() {
        SampleLocks locks = newInstance();
        String identity = identity();

        locks.tryAcquire(identity, T0, LEASE);

        assertThat(locks.leases(List.of(identity)))
                .containsExactly(Map.entry(identity, new Lease(ownerOf(locks), T0, T0.plus(LEASE))));
    }

    @Test
    void renewalExtendsTheLeaseSoItIsNotTakenOver() {
        SampleLocks owner = newInstance();
        SampleLocks other = newInstance();
        String identity = identity();
        owner.tryAcquire(identity, T0, LEASE);

        assertThat(owner.renew(identity, T0.plusSeconds(20), LEASE)).isTrue();

        assertThat(owner.leases(List.of(identity)).get(identity))
                .isEqualTo(new Lease(ownerOf(owner), T0, T0.plusSeconds(50)));
        assertThat(other.tryAcquire(identity, T0.plusSeconds(40), LEASE)).as("within the renewed lease").isFalse();
        assertThat(other.tryAcquire(identity, T0.plusSeconds(50), LEASE)).as("at its last instant").isFalse();
        assertThat(other.tryAcquire(identity, T0.plusSeconds(50).plusMillis(1), LEASE)).as("after it").isTrue();
    }

    @Test
    void renewalByAnotherInstanceFailsAndLeavesTheLeaseAlone() {
        SampleLocks owner = newInstance();
        SampleLocks other = newInstance();
        String identity = identity();
        owner.tryAcquire(identity, T0, LEASE);

        assertThat(other.renew(identity, T0.plusSeconds(20), LEASE)).isFalse();
        assertThat(other.renew(identity(), T0.plusSeconds(20), LEASE)).as("renewing an unlocked identity").isFalse();

        assertThat(owner.leases(List.of(identity)).get(identity))
                .isEqualTo(new Lease(ownerOf(owner), T0, T0.plus(LEASE)));
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsFormerOwnerLearnsOnRenewal() {
        SampleLocks crashed = newInstance();
        SampleLocks successor = newInstance();
        String identity = identity();
        crashed.tryAcquire(identity, T0, LEASE);
        Instant later = T0.plus(LEASE).plusSeconds(1);

        assertThat(successor.tryAcquire(identity, later, LEASE)).isTrue();

        assertThat(successor.leases(List.of(identity)).get(identity))
                .isEqualTo(new Lease(ownerOf(successor), later, later.plus(LEASE)));
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
                assertThat(leases.get(identity).owner()).isEqualTo(ownerOf(winners.getFirst().locks()));
            }
        }
    }

    @Test
    void releaseAllReleasesOnlyThisInstancesLocks() {
        SampleLocks leaving = newInstance();
        SampleLocks staying = newInstance();
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

    /** One look-up serves every waiter, however many identities they wait for. */
    @Test
    void leasesOfManyIdentitiesAreThoseOfTheLockedOnes() {
        SampleLocks owner = newInstance();
        SampleLocks waiter = newInstance();
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            identities.add(identity());
        }
        List<String> locked = List.of(identities.get(3), identities.get(507), identities.get(1_199));
        locked.forEach(identity -> owner.tryAcquire(identity, T0, LEASE));
        identities.add(identities.get(3));

        Map<String, Lease> leases = waiter.leases(identities);

        assertThat(leases).containsOnlyKeys(locked);
        assertThat(leases.values()).allSatisfy(lease -> assertThat(lease)
                .isEqualTo(new Lease(ownerOf(owner), T0, T0.plus(LEASE))));
        assertThat(waiter.leases(identities.subList(0, 20))).containsOnlyKeys(identities.get(3));
        assertThat(waiter.leases(List.of())).isEmpty();
    }

    @Test
    void malformedArgumentsAreRefused() {
        SampleLocks locks = newInstance();

        assertThatThrownBy(() -> locks.tryAcquire("abc", T0, LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 characters, got 'abc'");
        assertThatThrownBy(() -> locks.tryAcquire(identity(), T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
        assertThatThrownBy(() -> locks.renew(identity(), T0, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
    }

    private record Contender(SampleLocks locks, Future<Boolean> acquired) {
    }

    private List<Contender> race(int count, String identity, Instant now) throws Exception {
        return contenders(count, identity, now, new CyclicBarrier(count));
    }

    /** {@code count} instances that each try to acquire once {@code start} opens. */
    private List<Contender> contenders(int count, String identity, Instant now, CyclicBarrier start) {
        List<Contender> contenders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SampleLocks locks = newInstance();
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
                .isEqualTo(ownerOf(winners.getFirst().locks()));
    }

    /** A fresh sample identity: 64 hex digits like SampleIdentity's. */
    protected static String identity() {
        return randomHex(32);
    }

    protected static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
