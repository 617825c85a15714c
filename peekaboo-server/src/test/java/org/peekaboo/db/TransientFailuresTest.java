package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.peekaboo.db.TransientFailures.Kind;

class TransientFailuresTest {

    static Object[][] failures() {
        return new Object[][] {
                {"MariaDB deadlock", new SQLException("Deadlock found when trying to get lock", "40001", 1213),
                        Kind.CONTENTION},
                {"MariaDB lock wait timeout", new SQLException("Lock wait timeout exceeded", "HY000", 1205),
                        Kind.CONTENTION},
                {"serialization failure of any database", new SQLException("could not serialize", "40001", 0),
                        Kind.CONTENTION},
                // What a Galera node answers a statement that lost certification to another node's write.
                {"Galera certification conflict", new SQLException("WSREP detected deadlock/conflict and aborted the"
                        + " transaction. Try restarting the transaction", "40001", 1213), Kind.CONTENTION},
                // A node cut off from the primary component, or still joining: another node may answer.
                {"Galera node not ready", new SQLException("WSREP has not yet prepared node for application use",
                        "08S01", 1047), Kind.CONNECTION},
                {"H2 lock timeout", new SQLException("Timeout trying to lock table", "HYT00", 50200),
                        Kind.CONTENTION},
                {"connection refused", new SQLException("Socket fail to connect to host", "08000", -1),
                        Kind.CONNECTION},
                {"connection lost mid-statement", new SQLException("Connection reset", "08S01", 0),
                        Kind.CONNECTION},
                {"pool timed out waiting for a connection",
                        new SQLTransientConnectionException("peekaboo-db - Connection is not available"),
                        Kind.CONNECTION},
                {"duplicate key", new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062),
                        Kind.PERMANENT},
                {"syntax error", new SQLException("You have an error in your SQL syntax", "42000", 1064),
                        Kind.PERMANENT},
                {"no SQL failure at all", new IllegalStateException("report cannot be written"), Kind.PERMANENT},
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void classifiesTheDriversFailure(String what, Exception failure, Kind expected) {
        assertThat(TransientFailures.classify(failure)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} wrapped by jOOQ")
    @MethodSource("failures")
    void looksThroughJooqsWrapping(String what, Exception failure, Kind expected) {
        assertThat(TransientFailures.classify(new DataAccessException("SQL [insert ...]", failure)))
                .isEqualTo(expected);
    }

    @Test
    void aDeadlockChainedBehindAnotherFailureCounts() {
        SQLException batch = new SQLException("batch failed", "HY000", 0);
        batch.setNextException(new SQLException("Deadlock found", "40001", 1213));

        assertThat(TransientFailures.classify(batch)).isEqualTo(Kind.CONTENTION);
    }
}
