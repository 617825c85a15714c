package org.peekaboo.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the analysis store lives and how to log in.
 *
 * @param url            JDBC URL; {@code jdbc:h2:} and {@code jdbc:mariadb:} are supported
 * @param user           user name, or null when the URL carries it (H2's default is {@code sa})
 * @param password       password, or null for none
 * @param maxConnections size of the connection pool; at least the number of workers that
 *                       use the store at the same time, or they queue for a connection
 * @param connectTimeout how long a request waits for a connection (from the pool or a new
 *                       one) before it fails; bounded so that a down database answers
 *                       requests {@code unchecked} quickly instead of holding the mail back
 */
public record DatabaseSettings(String url, String user, String password, int maxConnections,
                               Duration connectTimeout) {
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** HikariCP refuses shorter connection timeouts. */
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("database URL must be a JDBC URL starting with jdbc:, got '"
                    + JdbcUrl.masked(url) + "'");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("database pool size must be at least 1, got " + maxConnections);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("database connect timeout must be at least "
                    + MIN_CONNECT_TIMEOUT.toMillis() + "ms, got " + connectTimeout.toMillis() + "ms");
        }
    }

    /** With the default connect timeout. */
    public DatabaseSettings(String url, String user, String password, int maxConnections) {
        this(url, user, password, maxConnections, DEFAULT_CONNECT_TIMEOUT);
    }

    /** The default: an embedded H2 database in {@code dataDir}, created on first use. */
    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(embeddedUrl(dataDir), "sa", "", DEFAULT_MAX_CONNECTIONS);
    }

    /** A database named by URL alone, credentials (if any) inside it, with the default pool size. */
    public static DatabaseSettings external(String url) {
        return new DatabaseSettings(url, null, null, DEFAULT_MAX_CONNECTIONS);
    }

    /** {@code jdbc:h2:file:<absolute dataDir>/peekaboo;MODE=MariaDB;DATABASE_TO_LOWER=TRUE}. */
    public static String embeddedUrl(Path dataDir) {
        String directory = dataDir.toAbsolutePath().normalize().toString();
        // H2 reads everything after a semicolon as a setting, so such a path would silently
        // open a different file.
        if (directory.contains(";")) {
            throw new IllegalArgumentException("data directory must not contain ';': " + directory);
        }
        return JdbcUrl.withRequiredH2Settings("jdbc:h2:file:" + directory + "/peekaboo");
    }

    /** Never shows the password, not even inside the URL. */
    @Override
    public String toString() {
        return "DatabaseSettings[url=" + JdbcUrl.masked(url) + ", user=" + user
                + ", password=" + (password == null || password.isEmpty() ? "(none)" : "***")
                + ", maxConnections=" + maxConnections + ", connectTimeout=" + connectTimeout.toMillis() + "ms]";
    }
}
