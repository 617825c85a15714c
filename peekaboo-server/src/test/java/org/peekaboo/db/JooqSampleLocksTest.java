package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.db.testing.ScriptedDatabase;
import org.peekaboo.db.testing.TestRetry;

/** How the locks meet database errors that a real server produces only by chance. */
class JooqSampleLocksTest {
    private static final String IDENTITY = "a".repeat(64);
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    private static SQLException mariaDbDeadlock() {
        return new SQLException("Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
    }

    @Test
    void aDeadlockVictimIsRetriedAndThenSucceeds() {
        ScriptedDatabase database = new ScriptedDatabase().fails(mariaDbDeadlock()).fails(mariaDbDeadlock()).updates(1);

        boolean acquired = new JooqSampleLocks(database.dsl(SQLDialect.MARIADB), "me", TestRetry.defaults()).tryAcquire(IDENTITY, NOW, LEASE);

        assertThat(acquired).isTrue();
        assertThat(database.statements()).hasSize(3).allSatisfy(sql -> assertThat(sql).startsWith("insert ignore"));
    }

    @Test
    void retriesAreBoundedAndTheFailureNamesTheOperation() {
        ScriptedDatabase database = new ScriptedDatabase().fails(mariaDbDeadlock());
        JooqSampleLocks locks = new JooqSampleLocks(database.dsl(SQLDialect.MARIADB), "me", TestRetry.defaults());

        assertThatThrownBy(() -> locks.renew(IDENTITY, NOW, LEASE))
                .isInstanceOf(StoreException.class)
                .hasMessage("Cannot renew the lock on sample " + IDENTITY
                        + ": Deadlock found when trying to get lock; try restarting transaction");
        assertThat(database.statements()).hasSize(Retry.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void otherErrorsAreNotRetried() {
        ScriptedDatabase database = new ScriptedDatabase()
                .fails(new SQLException("Table 'peekaboo.sample_lock' doesn't exist", "42S02", 1146));
        JooqSampleLocks locks = new JooqSampleLocks(database.dsl(SQLDialect.MARIADB), "me", TestRetry.defaults());

        assertThatThrownBy(() -> locks.release(IDENTITY))
                .isInstanceOf(StoreException.class)
                .hasMessage("Cannot release the lock on sample " + IDENTITY
                        + ": Table 'peekaboo.sample_lock' doesn't exist");
        assertThat(database.statements()).hasSize(1);
    }

    @Test
    void aLostConnectionIsReportedAsAnUnreachableDatabaseAndOtherErrorsAreNot() {
        JooqSampleLocks down = new JooqSampleLocks(new ScriptedDatabase()
                .fails(new SQLNonTransientConnectionException("(conn=5) Socket error", "08000"))
                .dsl(SQLDialect.MARIADB), "me", TestRetry.defaults());
        JooqSampleLocks broken = new JooqSampleLocks(new ScriptedDatabase()
                .fails(new SQLException("Table 'peekaboo.sample_lock' doesn't exist", "42S02", 1146))
                .dsl(SQLDialect.MARIADB), "me", TestRetry.defaults());

        assertThatThrownBy(() -> down.tryAcquire(IDENTITY, NOW, LEASE)).isInstanceOfSatisfying(StoreException.class,
                failure -> assertThat(failure.unreachable()).isTrue());
        assertThatThrownBy(() -> broken.tryAcquire(IDENTITY, NOW, LEASE)).isInstanceOfSatisfying(StoreException.class,
                failure -> assertThat(failure.unreachable()).isFalse());
    }

    @Test
    void aDuplicateKeyErrorOfTheInsertMeansLockedAndOnlyTheTakeoverDecides() {
        ScriptedDatabase database = new ScriptedDatabase()
                .fails(new SQLException("Unique index or primary key violation", "23505", 23505))
                .updates(0);

        boolean acquired = new JooqSampleLocks(database.dsl(SQLDialect.H2), "me", TestRetry.defaults()).tryAcquire(IDENTITY, NOW, LEASE);

        assertThat(acquired).isFalse();
        assertThat(database.statements()).hasSize(2);
        assertThat(database.statements().get(1)).startsWith("update").contains("\"lease_until\" <");
    }

    @Test
    void aTakeoverIsTriedOnlyWhenTheInsertFoundTheIdentityLocked() {
        ScriptedDatabase inserted = new ScriptedDatabase().updates(1);
        new JooqSampleLocks(inserted.dsl(SQLDialect.MARIADB), "me", TestRetry.defaults()).tryAcquire(IDENTITY, NOW, LEASE);
        ScriptedDatabase takenOver = new ScriptedDatabase().updates(0).updates(1);

        boolean acquired = new JooqSampleLocks(takenOver.dsl(SQLDialect.MARIADB), "me", TestRetry.defaults())
                .tryAcquire(IDENTITY, NOW, LEASE);

        assertThat(inserted.statements()).hasSize(1);
        assertThat(acquired).isTrue();
        assertThat(takenOver.statements()).hasSize(2);
    }
}
