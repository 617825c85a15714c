package org.peekaboo.db;

import static org.peekaboo.db.testing.MariaDbServer.SERVER;
import static org.peekaboo.db.testing.MariaDbServer.USER;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.peekaboo.db.testing.MariaDbServer;

/**
 * The purge contract on the MariaDB server at 127.0.0.1:3306 (user root, no password), in a
 * database of its own per test, dropped afterwards.
 */
class MariaDbPurgerIT extends PurgerContract {
    private String databaseName;

    @Override
    protected Database openEmptyDatabase() {
        try {
            databaseName = MariaDbServer.createDatabase();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + SERVER + ": " + e.getMessage(), e);
        }
        return Database.open(new DatabaseSettings(SERVER + databaseName, USER, "", 4));
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (databaseName != null) {
            MariaDbServer.dropDatabase(databaseName);
        }
    }
}
