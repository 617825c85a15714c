package org.peekaboo.db;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The purge contract on the default embedded H2 database, a new one per test. */
class H2PurgerTest extends PurgerContract {
    @TempDir
    Path dataDir;

    @Override
    protected Database openEmptyDatabase() {
        return Database.open(DatabaseSettings.embedded(dataDir));
    }
}
