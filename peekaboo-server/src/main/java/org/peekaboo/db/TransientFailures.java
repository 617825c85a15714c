package org.peekaboo.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Sorts database failures by what may be done about them: try the statement again, give up on
 * the request because the database is unreachable, or give up because the statement is wrong.
 */
public final class TransientFailures {
    /**
     * MariaDB/MySQL ER_LOCK_DEADLOCK: the server rolled our transaction back to break a deadlock.
     * A Galera node reports a write that lost certification to another node's the same way
     * ("WSREP detected deadlock/conflict"), also at commit: retried like a deadlock.
     */
    static final int MARIADB_DEADLOCK = 1213;
    /** MariaDB/MySQL ER_LOCK_WAIT_TIMEOUT: another transaction held a row lock for too long. */
    static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    /** H2's lock timeout, its equivalent of MariaDB's 1205. */
    static final int H2_LOCK_TIMEOUT = org.h2.api.ErrorCode.LOCK_TIMEOUT_1;

    /** What kind of failure a throwable is. */
    public enum Kind {
        /** Deadlock, serialization failure or lock wait timeout: the same statement may succeed now. */
        CONTENTION,
        /**
         * The database cannot be reached, or an embedded one cannot write its file: retrying
         * within a request only delays its answer.
         */
        CONNECTION,
        /** Anything else: the statement or the data is wrong, and stays wrong. */
        PERMANENT
    }

    private TransientFailures() {
    }

    /** Looks through the causes (jOOQ and the pool wrap the driver's exception) for the SQL failure. */
    public static Kind classify(Throwable failure) {
        return sqlCause(failure).map(TransientFailures::classify).orElse(Kind.PERMANENT);
    }

    /** Whether {@code failure} means the database cannot be reached (see {@link Kind#CONNECTION}). */
    public static boolean isUnreachable(Throwable failure) {
        return classify(failure) == Kind.CONNECTION;
    }

    static Kind classify(SQLException failure) {
        for (SQLException next = failure; next != null; next = next.getNextException()) {
            Kind kind = classifyOne(next);
            if (kind != Kind.PERMANENT) {
                return kind;
            }
        }
        return Kind.PERMANENT;
    }

    private static Kind classifyOne(SQLException failure) {
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        int code = failure.getErrorCode();
        if (state.equals("40001") || code == MARIADB_DEADLOCK || code == MARIADB_LOCK_WAIT_TIMEOUT
                || code == H2_LOCK_TIMEOUT) {
            return Kind.CONTENTION;
        }
        // SQLState class 08 is "connection exception"; the pool reports a connection it could
        // not get in time as SQLTransientConnectionException without a state.
        if (state.startsWith("08") || failure instanceof SQLTransientConnectionException
                || failure instanceof SQLNonTransientConnectionException || EmbeddedFailures.isBroken(failure)) {
            return Kind.CONNECTION;
        }
        return Kind.PERMANENT;
    }

    static Optional<SQLException> sqlCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return Optional.of(sql);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
