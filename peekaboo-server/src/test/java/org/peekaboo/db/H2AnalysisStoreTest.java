package org.peekaboo.db;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the default embedded H2 database. */
class H2AnalysisStoreTest extends JooqAnalysisStoreContract {
    @TempDir
    static Path dataDir;

    @Override
    protected Database openDatabase() {
        return Database.open(DatabaseSettings.embedded(dataDir));
    }
}
