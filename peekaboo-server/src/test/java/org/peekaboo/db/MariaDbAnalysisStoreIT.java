package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore.StoreException;

/**
 * The store contract on the MariaDB server at 127.0.0.1:3306 (user root, no password), in
 * a database of its own that is dropped afterwards.
 */
class MariaDbAnalysisStoreIT extends AnalysisStoreContract {
    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    private static final String USER = "root";

    private static String databaseName;

    @BeforeAll
    static void createDatabase() throws SQLException {
        databaseName = uniqueName();
        execute("CREATE DATABASE " + databaseName + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        execute("DROP DATABASE IF EXISTS " + databaseName);
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

    private static String uniqueName() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return "peekaboo_it_" + HexFormat.of().formatHex(random);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
