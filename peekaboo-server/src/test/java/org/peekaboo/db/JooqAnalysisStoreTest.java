package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.db.testing.RecordingOutageListener;
import org.peekaboo.db.testing.ScriptedDatabase;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;

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
    void aLostConnectionIsReportedAsAnUnreachableDatabaseAndOtherErrorsAreNot() {
        Sample sample = new Sample(TestContents.empty(), "a".repeat(64), 1, "sample.txt", "text/plain", null,
                "b".repeat(64));
        JooqAnalysisStore down = new JooqAnalysisStore(new ScriptedDatabase()
                .fails(new SQLNonTransientConnectionException("(conn=5) Socket error", "08000"))
                .dsl(SQLDialect.MARIADB), "peekaboo-1", RETRY, () -> { }, CLOCK, MAX_AGE);
        JooqAnalysisStore broken = new JooqAnalysisStore(new ScriptedDatabase()
                .fails(new SQLException("Table 'peekaboo.analysis' doesn't exist", "42S02", 1146))
                .dsl(SQLDialect.MARIADB), "peekaboo-1", RETRY, () -> { }, CLOCK, MAX_AGE);

        assertThatThrownBy(() -> down.begin(sample, Instant.EPOCH)).isInstanceOfSatisfying(StoreException.class,
                failure -> assertThat(failure.unreachable()).isTrue());
        assertThatThrownBy(() -> broken.begin(sample, Instant.EPOCH)).isInstanceOfSatisfying(StoreException.class,
                failure -> assertThat(failure.unreachable()).isFalse());
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
