package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.peekaboo.db.testing.RecordingOutageListener;
import org.peekaboo.sample.Result;

class JooqAnalysisStoreTest {

    private static final Retry RETRY = Retry.withDefaults(
            new DatabaseOutage("jdbc:h2:mem:test", Clock.systemUTC(), new RecordingOutageListener()));
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration MAX_AGE = Duration.ofDays(30);

    @Test
    void severitiesArePeekabooAvsBadnessAndFollowTheResultOrder() {
        assertThat(Arrays.stream(Result.values()).map(JooqAnalysisStore::severity))
                .containsExactly((short) 1, (short) 2, (short) 3, (short) 4, (short) 5, (short) 6);
    }

    @Test
    void theInstanceIdMustFitItsColumn() {
        assertThatThrownBy(() -> new JooqAnalysisStore(DSL.using(SQLDialect.H2), " ", RETRY, () -> { }, CLOCK, MAX_AGE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance id must have 1 to 64 characters, got ' '");
        assertThatThrownBy(() -> new JooqAnalysisStore(DSL.using(SQLDialect.H2), "i".repeat(65), RETRY, () -> { }, CLOCK, MAX_AGE))
                .hasMessageStartingWith("instance id must have 1 to 64 characters");
    }

    @Test
    void theResultMaxAgeMustBePositive() {
        assertThatThrownBy(() -> new JooqAnalysisStore(DSL.using(SQLDialect.H2), "peekaboo-1", RETRY, () -> { },
                CLOCK, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("result max age must be positive, got PT0S");
    }

    @Test
    void closingRunsTheCloseActionOnce() {
        int[] closes = new int[1];
        JooqAnalysisStore store = new JooqAnalysisStore(DSL.using(SQLDialect.H2), "peekaboo-1", RETRY,
                () -> closes[0]++, CLOCK, MAX_AGE);

        store.close();
        store.close();

        assertThat(closes[0]).isEqualTo(1);
    }
}
