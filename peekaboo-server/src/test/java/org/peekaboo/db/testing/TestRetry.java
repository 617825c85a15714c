package org.peekaboo.db.testing;

import java.time.Clock;
import org.peekaboo.db.DatabaseOutage;
import org.peekaboo.db.Retry;

/** The production retry policy with an outage tracker of the test's own. */
public final class TestRetry {
    private TestRetry() {
    }

    public static Retry defaults() {
        return Retry.withDefaults(DatabaseOutage.logging("test database", Clock.systemUTC()));
    }
}
