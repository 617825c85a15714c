package org.peekaboo.db;

import static org.peekaboo.db.testing.MariaDbServer.SERVER;
import static org.peekaboo.db.testing.MariaDbServer.USER;
import static org.peekaboo.db.testing.MariaDbServer.uniqueName;
import static org.peekaboo.db.testing.MariaDbServer.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.db.testing.MariaDbServer;

/**
 * The store contract on the MariaDB server at 127.0.0.1:3306 (user root, no password), in
 * a database of its own that is dropped afterwards.
 */
class MariaDbAnalysisStoreIT extends JooqAnalysisStoreContract {

    private static String databaseName;

    @BeforeAll
    static void createDatabase() throws SQLException {
        databaseName = MariaDbServer.createDatabase();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        MariaDbServer.dropDatabase(databaseName);
    }

    @Override
    protected Database openDatabase() {
        return Database.open(new DatabaseSettings(SERVER + databaseName, USER, "", 10));
    }

    @Test
    void usesTheMariaDbDialect() {
        try (Database database = openDatabase()) {
            assertThat(database.dialect()).isEqualTo(SQLDialect.MARIADB);
        }
    }

    @Test
    void aDatabaseInAnotherCharacterSetThanUtf8mb4IsRefused() throws SQLException {
        String latin1 = uniqueName();
        execute("CREATE DATABASE " + latin1 + " CHARACTER SET latin1");
        try {
            assertThatThrownBy(() -> Database.open(new DatabaseSettings(SERVER + latin1, USER, "", 2)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(SERVER + latin1)
                    .hasMessageContaining("identity (latin1)")
                    .hasMessageContaining("utf8mb4");
        } finally {
            execute("DROP DATABASE IF EXISTS " + latin1);
        }
    }

    @Test
    void wrongCredentialsFailNamingTheUrlButNotThePassword() {
        String url = SERVER + databaseName + "?user=nobody&password=wrong-secret";

        assertThatThrownBy(() -> Database.open(new DatabaseSettings(url, null, "also-secret", 2)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot open database " + SERVER + databaseName + "?user=nobody&password=***: ")
                .hasMessageContaining("Access denied")
                .hasMessageNotContaining("wrong-secret")
                .hasMessageNotContaining("also-secret");
    }


}
