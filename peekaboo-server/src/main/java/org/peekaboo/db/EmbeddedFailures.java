package org.peekaboo.db;

import java.sql.SQLException;
import java.util.Set;
import org.h2.api.ErrorCode;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Failures of an embedded H2 database that are an outage rather than a wrong statement: its
 * file could not be written (disk full, file made read-only) or H2 closed the database after
 * such a failure. They last until the cause is removed, and then a new connection reopens the
 * database, so they are treated like an unreachable server.
 */
final class EmbeddedFailures {
    private static final Set<Integer> BROKEN_CODES = Set.of(ErrorCode.DATABASE_IS_CLOSED,
            ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2,
            ErrorCode.DATABASE_IS_READ_ONLY);
    /** Of the store under H2's tables: what it reports when its file fails it. */
    private static final Set<Integer> BROKEN_STORE_CODES = Set.of(DataUtils.ERROR_READING_FAILED,
            DataUtils.ERROR_WRITING_FAILED, DataUtils.ERROR_CLOSED);

    private EmbeddedFailures() {
    }

    static boolean isBroken(SQLException failure) {
        if (!failure.getClass().getName().startsWith("org.h2.")) {
            return false;
        }
        if (BROKEN_CODES.contains(failure.getErrorCode())) {
            return true;
        }
        // H2 reports a failed write as a general error (50000) around the store's own exception.
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
             cause = cause.getCause()) {
            if (cause instanceof MVStoreException store && BROKEN_STORE_CODES.contains(store.getErrorCode())) {
                return true;
            }
        }
        return false;
    }
}
