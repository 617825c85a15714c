package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.db.testing.RecordingOutageListener;

class PurgerTest {
    private static final Retry RETRY = Retry.withDefaults(
            new DatabaseOutage("jdbc:h2:mem:test", Clock.systemUTC(), new RecordingOutageListener()));

    @Test
    void theLockIdentityHasTheLengthOfASampleIdentity() {
        assertThat(Purger.LOCK_IDENTITY).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void aLeaseTooShortForOneBatchIsRefused() {
        assertThatThrownBy(() -> purger(Duration.ofDays(90), 1000, Duration.ofSeconds(59)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("purge lease must be at least PT1M, got PT59S");
    }

    @Test
    void ageAndBatchSizeMustBePositive() {
        assertThatThrownBy(() -> purger(Duration.ZERO, 1000, Duration.ofHours(1)))
                .hasMessage("purge age must be positive, got PT0S");
        assertThatThrownBy(() -> purger(Duration.ofDays(1), 0, Duration.ofHours(1)))
                .hasMessage("purge batch size must be positive, got 0");
    }

    private static Purger purger(Duration purgeAfter, int batchSize, Duration lease) {
        return new Purger(DSL.using(SQLDialect.H2), new FakeSampleLocks("purge-test"), RETRY, Clock.systemUTC(), purgeAfter,
                batchSize, lease);
    }
}
