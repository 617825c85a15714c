package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.db.testing.RecordingOutageListener;

class DatabaseOutageTest {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T05:00:00Z"));
    private final RecordingOutageListener log = new RecordingOutageListener();
    private final AtomicBoolean serverBack = new AtomicBoolean();
    private final AtomicInteger probes = new AtomicInteger();
    private final Set<String> probingThreads = ConcurrentHashMap.newKeySet();

    private DatabaseOutage probing() {
        return new DatabaseOutage("jdbc:mariadb://db/p", clock, log, () -> {
            probes.incrementAndGet();
            probingThreads.add(Thread.currentThread().getName() + "#" + Thread.currentThread().threadId());
            if (!serverBack.get()) {
                throw refused();
            }
        }, PROBE_INTERVAL);
    }

    private static DataAccessException refused() {
        return new DataAccessException("SQL [insert]",
                new SQLException("Socket fail to connect to db.example.org:3306", "08000", -1));
    }

    private static Retry retry(DatabaseOutage outage) {
        return new Retry(4, Duration.ofMillis(1), pause -> { }, RandomGenerator.getDefault(), outage);
    }

    @Test
    void aKnownOutageFailsOperationsWithoutTryingThemUntilOneProbeFindsTheDatabaseBack() throws Exception {
        try (DatabaseOutage outage = probing()) {
            Retry retry = retry(outage);
            DataAccessException first = refused();
            assertThatThrownBy(() -> retry.run(() -> {
                throw first;
            })).isSameAs(first);
            await(outage::knownDown, "the outage confirmed by the probe");
            assertThat(outage.downSince()).as("for peekaboo status").contains(Instant.parse("2026-12-06T05:00:00Z"));
            assertThat(outage.downBecause()).hasValueSatisfying(why -> assertThat(why)
                    .contains("Socket fail to connect to db.example.org:3306"));

            AtomicInteger tried = new AtomicInteger();
            for (int i = 0; i < 200; i++) {
                assertThatThrownBy(() -> retry.run(tried::incrementAndGet))
                        .satisfies(failure -> assertThat(TransientFailures.isUnreachable(failure)).isTrue())
                        .hasMessageContaining("unreachable since");
            }
            assertThat(tried).as("operations tried during the known outage").hasValue(0);
            await(() -> probes.get() >= 3, "the probe running while the server is away");

            serverBack.set(true);
            await(() -> !outage.isDown(), "the probe finding the server back");

            assertThat(retry.run(tried::incrementAndGet)).isEqualTo(1);
            assertThat(outage.downSince()).isEmpty();
            assertThat(outage.downBecause()).isEmpty();
            assertThat(probingThreads).as("threads that probed").hasSize(1);
            assertThat(log.messages()).satisfiesExactly(
                    down -> assertThat(down).startsWith("down since").contains("Socket fail to connect"),
                    back -> assertThat(back).startsWith("back since"));
        }
    }

    @Test
    void aSecondOutageGetsAProbeAgain() throws Exception {
        try (DatabaseOutage outage = probing()) {
            serverBack.set(true);
            for (int round = 1; round <= 2; round++) {
                outage.unreachable(refused());
                int round0 = round;
                await(() -> !outage.isDown(), "the end of outage " + round0);
            }
            assertThat(log.messages()).hasSize(4);
        }
    }

    /**
     * A connection that broke in use (the server restarted under the pool) is only a suspicion:
     * operations go on trying until the probe fails too, and its fresh connection ends it.
     */
    @Test
    void aBrokenConnectionIsNotAKnownOutageUntilTheProbeFails() throws Exception {
        serverBack.set(true);
        try (DatabaseOutage outage = probing()) {
            outage.unreachable(refused());
            assertThat(outage.knownDown()).as("known before any probe").isFalse();
            await(() -> !outage.isDown(), "the probe ending the suspicion");
            assertThat(outage.knownDown()).isFalse();
        }
    }

    @Test
    void thePoolFindingNoConnectionInTimeIsAKnownOutageAtOnce() throws Exception {
        try (DatabaseOutage outage = probing()) {
            outage.unreachable(new DataAccessException("SQL [insert]", new SQLTransientConnectionException(
                    "peekaboo-db - Connection is not available, request timed out after 5000ms",
                    refused().getCause())));
            assertThat(outage.knownDown()).isTrue();
        }
    }

    @Test
    void aBusyPoolIsNoKnownOutage() {
        serverBack.set(true);
        try (DatabaseOutage outage = probing()) {
            outage.unreachable(new DataAccessException("SQL [insert]", new SQLTransientConnectionException(
                    "peekaboo-db - Connection is not available, request timed out after 5000ms"
                            + " (total=4, active=4, idle=0, waiting=19)")));
            assertThat(outage.knownDown()).isFalse();
        }
    }

    @Test
    void withoutAProbeEveryOperationStillTriesTheDatabase() {
        DatabaseOutage outage = new DatabaseOutage("jdbc:mariadb://db/p", clock, log);
        Retry retry = retry(outage);
        outage.unreachable(refused());

        assertThat(outage.knownDown()).isFalse();
        assertThat(retry.run(() -> "tried")).isEqualTo("tried");
        assertThat(outage.isDown()).isFalse();
    }

    @Test
    void closingStopsTheProbeAndTheFailingFast() throws Exception {
        DatabaseOutage outage = probing();
        outage.unreachable(refused());
        await(() -> probes.get() >= 1, "a probe");

        outage.close();
        int after = probes.get();
        Thread.sleep(PROBE_INTERVAL.toMillis() * 10);

        assertThat(outage.knownDown()).isFalse();
        assertThat(probes.get()).as("probes after close").isLessThanOrEqualTo(after + 1);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
