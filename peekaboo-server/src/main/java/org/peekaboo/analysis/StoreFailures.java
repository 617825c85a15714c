package org.peekaboo.analysis;

import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.slf4j.Logger;

/** How the engine logs a failure of the store or the locks. */
final class StoreFailures {
    private StoreFailures() {
    }

    /**
     * Warns, unless the failure is part of an outage: while the database is unreachable every
     * sample fails alike and the store logs the outage once; a warning per sample would bury that line.
     */
    static void warnUnlessUnreachable(Logger log, RuntimeException failure, String format, Object... arguments) {
        if (failure instanceof StoreException store && store.unreachable()) {
            log.debug(format, arguments);
        } else {
            log.warn(format, arguments);
        }
    }
}
