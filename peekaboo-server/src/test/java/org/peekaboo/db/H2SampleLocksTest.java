package org.peekaboo.db;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The lock contract on the default embedded H2 database. */
class H2SampleLocksTest extends JooqSampleLocksContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.open(DatabaseSettings.embedded(dataDir));
    }
}
