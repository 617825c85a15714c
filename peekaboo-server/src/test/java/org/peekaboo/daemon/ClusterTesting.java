package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.peekaboo.db.testing.MariaDbServer;

/** What the cluster integration tests ({@link ClusterIT}, {@link GaleraClusterIT}) share besides their processes. */
final class ClusterTesting {
    private static final long WAIT_SECONDS = 120;

    private ClusterTesting() {
    }

    @FunctionalInterface
    interface ThrowingCondition {
        boolean met() throws Exception;
    }

    /** Polls {@code condition}; fails the test naming {@code what} if it is not met within two minutes. */
    static void awaitCondition(ThrowingCondition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.met()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static String sha256(Path file) throws Exception {
        return sha256(Files.readAllBytes(file));
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The single number {@code sql} selects. */
    static long count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Runs one statement as root, without password. */
    static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, MariaDbServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
