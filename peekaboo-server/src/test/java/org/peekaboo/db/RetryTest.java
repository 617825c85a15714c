package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.peekaboo.db.testing.MutableClock;
import org.peekaboo.db.testing.RecordingOutageListener;

class RetryTest {
    // Fresh per test: a retry that gives up may add suppressed failures to them.
    private final DataAccessException deadlock = new DataAccessException("SQL [update analysis]",
            new SQLException("Deadlock found when trying to get lock", "40001", 1213));
    private final DataAccessException refused = new DataAccessException("SQL [insert]",
            new SQLException("Socket fail to connect to db.example.org:3306", "08000", -1));
    private final DataAccessException duplicate = new DataAccessException("SQL [insert]",
            new SQLException("Duplicate entry", "23000", 1062));

    private final List<Duration> pauses = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final RecordingOutageListener outageLog = new RecordingOutageListener();
    private final DatabaseOutage outage = new DatabaseOutage("jdbc:mariadb://db/p", clock, outageLog);

    private Retry retry(RandomGenerator random) {
        return new Retry(4, Duration.ofMillis(20), pauses::add, random, outage);
    }

    @Test
    void aDeadlockedOperationIsRunAgainUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();

        String result = retry(RandomGenerator.getDefault()).run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw deadlock;
            }
            return "stored";
        });

        assertThat(result).isEqualTo("stored");
        assertThat(calls).hasValue(3);
        assertThat(pauses).hasSize(2);
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheDeadlockItself() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry(RandomGenerator.getDefault()).run(() -> {
            calls.incrementAndGet();
            throw deadlock;
        })).isSameAs(deadlock);

        assertThat(calls).hasValue(4);
        assertThat(pauses).hasSize(3);
    }

    @Test
    void pausesDoubleWithJitterBetweenHalfAndAll() {
        Retry lowest = new Retry(4, Duration.ofMillis(20), pauses::add, new FixedRandom(0), outage);
        Retry highest = new Retry(4, Duration.ofMillis(20), pauses::add, new FixedRandom(Long.MAX_VALUE), outage);

        assertThat(List.of(lowest.pauseBefore(2), lowest.pauseBefore(3), lowest.pauseBefore(4)))
                .containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
        assertThat(List.of(highest.pauseBefore(2), highest.pauseBefore(3), highest.pauseBefore(4)))
                .containsExactly(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(80));
    }

    @Test
    void allPausesOfTheDefaultsTogetherStayWellUnderASecond() {
        Retry highest = new Retry(Retry.DEFAULT_MAX_ATTEMPTS, Retry.DEFAULT_FIRST_PAUSE, pauses::add,
                new FixedRandom(Long.MAX_VALUE), outage);

        assertThatThrownBy(() -> highest.run(() -> {
            throw deadlock;
        })).isSameAs(deadlock);

        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void aConnectionFailureIsNotRetriedButStartsAnOutage() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry(RandomGenerator.getDefault()).run(() -> {
            calls.incrementAndGet();
            throw refused;
        })).isSameAs(refused);

        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
        assertThat(outage.isDown()).isTrue();
        assertThat(outageLog.messages()).containsExactly(
                "down since 2026-11-25T10:00:00Z: Socket fail to connect to db.example.org:3306");
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry(RandomGenerator.getDefault()).run(() -> {
            calls.incrementAndGet();
            throw duplicate;
        })).isSameAs(duplicate);

        assertThat(calls).hasValue(1);
        assertThat(outage.isDown()).isFalse();
    }

    @Test
    void anOutageIsLoggedOnceAndItsEndOnce() {
        Retry retry = retry(RandomGenerator.getDefault());
        for (int sample = 0; sample < 5; sample++) {
            clock.advance(Duration.ofSeconds(3));
            assertThatThrownBy(() -> retry.run(() -> {
                throw refused;
            })).isSameAs(refused);
        }
        clock.advance(Duration.ofSeconds(45));
        retry.run(() -> "stored");
        retry.run(() -> "stored again");

        assertThat(outageLog.messages()).containsExactly(
                "down since 2026-11-25T10:00:03Z: Socket fail to connect to db.example.org:3306",
                "back since 2026-11-25T10:01:00Z after PT57S");
        assertThat(outage.isDown()).isFalse();
    }

    @Test
    void anInterruptedPauseGivesUpWithTheDeadlockAndKeepsTheInterrupt() {
        Retry interrupted = new Retry(4, Duration.ofMillis(20), pause -> {
            throw new InterruptedException("shutting down");
        }, RandomGenerator.getDefault(), outage);
        try {
            assertThatThrownBy(() -> interrupted.run(() -> {
                throw deadlock;
            })).isSameAs(deadlock);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    /** Answers every bounded draw with the same end of the range. */
    private record FixedRandom(long value) implements RandomGenerator {
        @Override
        public long nextLong() {
            return value;
        }

        @Override
        public long nextLong(long bound) {
            return value == 0 ? 0 : bound - 1;
        }
    }
}
