package org.peekaboo.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.EngineLoad;

class StatusCollectorTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Clock CLOCK = Clock.fixed(StatusSamples.NOW, ZoneOffset.UTC);
    private static final EngineLoad BUSY = new EngineLoad() {
        @Override
        public int waitingForPermits() {
            return 2;
        }

        @Override
        public int waitingForOtherInstances() {
            return 1;
        }

        @Override
        public int samplesInFlight() {
            return 3;
        }

        @Override
        public Duration oldestInFlight() {
            return Duration.ofMillis(2_400);
        }
    };
    private static final List<DaemonStatus.Instance> HOLDERS = List.of(
            new DaemonStatus.Instance("host2-9c01", 1, Instant.parse("2026-12-06T12:02:58.500Z")),
            new DaemonStatus.Instance("host1-4f2a", 3, Instant.parse("2026-12-06T12:03:07Z")));

    @Test
    void gathersEveryComponentsStateAndTheLockTable() throws Exception {
        DaemonStatus status = collector(Optional.of(() -> HOLDERS), Duration.ofSeconds(5)).gather()
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(status).isEqualTo(StatusSamples.healthy());
    }

    @Test
    void aLockTableThatFailsMarksTheDatabaseUnavailableInsteadOfFailingTheStatus() throws Exception {
        LockHolders failing = () -> {
            throw new IllegalStateException("Connection refused");
        };

        DaemonStatus status = collector(Optional.of(failing), Duration.ofSeconds(5)).gather()
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(status.database().unavailableSince()).contains(StatusSamples.NOW);
        assertThat(status.database().diagnosis()).contains("reading the lock table failed: Connection refused");
        assertThat(status.cluster()).contains(new DaemonStatus.Cluster(List.of(),
                Optional.of("reading the lock table failed: Connection refused")));
        assertThat(status.health()).isEqualTo(DaemonStatus.Health.DEGRADED);
    }

    @Test
    void aLockTableThatDoesNotAnswerIsGivenUpAfterTheQueryTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        LockHolders hanging = () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HOLDERS;
        };

        try {
            DaemonStatus status = collector(Optional.of(hanging), Duration.ofMillis(50)).gather()
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertThat(status.database().diagnosis()).contains("the lock table did not answer within 50 ms");
            assertThat(status.health()).isEqualTo(DaemonStatus.Health.DEGRADED);
        } finally {
            never.countDown();
        }
    }

    @Test
    void anOutageTheDatabaseTrackingKnowsIsKeptWithItsStartAndReason() {
        DaemonStatus.Database down = StatusSamples.MARIADB.unavailable(Instant.parse("2026-12-06T12:00:00Z"),
                "Socket fail to connect");
        StatusCollector collector = new StatusCollector("2.1.0", "host1-4f2a", CLOCK, StatusSamples.STARTED,
                () -> StatusSamples.LISTENERS, () -> down, () -> DaemonStatus.Cortex.NOT_CONFIGURED, BUSY,
                Optional.empty(), Duration.ofSeconds(5));

        DaemonStatus status = collector.local();

        assertThat(status.database()).isEqualTo(down);
        assertThat(status.cluster()).isEmpty();
        assertThat(status.uptime()).isEqualTo(Duration.ofMillis(7_389_250));
    }

    private static StatusCollector collector(Optional<LockHolders> holders, Duration queryTimeout) {
        DaemonStatus healthy = StatusSamples.healthy();
        return new StatusCollector("2.1.0", "host1-4f2a", CLOCK, StatusSamples.STARTED, () -> StatusSamples.LISTENERS,
                () -> StatusSamples.MARIADB, healthy::cortex, BUSY, holders, queryTimeout);
    }
}
