package org.peekaboo.db.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The MariaDB server the integration tests use: 127.0.0.1:3306, user root without password
 * (the development machines have it; the README's test command starts it elsewhere). Each
 * test class works in a database of its own that it creates and drops.
 */
public final class MariaDbServer {
    public static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    public static final String USER = "root";

    private MariaDbServer() {
    }

    /** A name no other test run uses, valid as a database name. */
    public static String uniqueName() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return "peekaboo_it_" + HexFormat.of().formatHex(random);
    }

    /** Creates a new utf8mb4 database and returns its name. */
    public static String createDatabase() throws SQLException {
        String name = uniqueName();
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return name;
    }

    public static void dropDatabase(String name) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name);
    }

    /** Runs one statement as root on the server (not in any database). */
    public static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
