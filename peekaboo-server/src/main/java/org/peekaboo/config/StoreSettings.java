package org.peekaboo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where analyses are kept and how to reach them.
 *
 * @param dataDir        Peekaboo's own state directory, home of the embedded database ({@code [global] data_dir})
 * @param url            a JDBC URL of an external database, or empty for the embedded H2 file in the data
 *                       directory ({@code [db] url}, translated from PeekabooAV's form if written so)
 * @param user           the user to log in as, if not given inside a JDBC URL ({@code [db] user} or the URL)
 * @param password       the password, from {@code PEEKABOO_DB_PASSWORD}, {@code [db] password_file} or the URL
 * @param poolSize       connections kept to the database at most ({@code [db] pool_size})
 * @param connectTimeout how long a request waits for a connection before it is answered unchecked
 *                       ({@code [db] connect_timeout})
 * @param retention      how long results are reused and rows kept ({@code [db] result_max_age}, {@code purge_*})
 * @param minFreeSpace   bytes free in the embedded database's directory below which the daemon warns
 *                       ({@code [global] min_free_space}); 0 never warns
 */
public record StoreSettings(Path dataDir, Optional<String> url, Optional<String> user, Optional<Secret> password,
                            int poolSize, Duration connectTimeout, RetentionSettings retention, long minFreeSpace) {
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/peekaboo");
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int MIN_POOL_SIZE = 1;
    public static final int MAX_POOL_SIZE = 200;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The pool cannot wait for less. */
    public static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    /** Longer and amavis gives up on the request before Peekaboo gives up on the database. */
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(1);

    public static final long DEFAULT_MIN_FREE_SPACE = 256L * 1024 * 1024;
    public static final long MAX_MIN_FREE_SPACE = 1024L * 1024 * 1024 * 1024;

    public StoreSettings {
        Checks.absolute("data directory", dataDir);
        dataDir = dataDir.normalize();
        Objects.requireNonNull(url, "url");
        url.ifPresent(StoreSettings::checkJdbcUrl);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (poolSize < MIN_POOL_SIZE || poolSize > MAX_POOL_SIZE) {
            throw new ConfigException("database pool size must be from " + MIN_POOL_SIZE + " to " + MAX_POOL_SIZE
                    + ", got " + poolSize);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0 || connectTimeout.compareTo(MAX_CONNECT_TIMEOUT) > 0) {
            throw new ConfigException("database connect timeout must be from " + MIN_CONNECT_TIMEOUT.toMillis()
                    + "ms to " + MAX_CONNECT_TIMEOUT.toSeconds() + "s, got " + connectTimeout.toMillis() + "ms");
        }
        Objects.requireNonNull(retention, "retention");
        if (minFreeSpace < 0 || minFreeSpace > MAX_MIN_FREE_SPACE) {
            throw new ConfigException("minimum free space must be from 0 to 1T, got " + minFreeSpace + " bytes");
        }
    }

    /** With the default free-space warning. */
    public StoreSettings(Path dataDir, Optional<String> url, Optional<String> user, Optional<Secret> password,
                         int poolSize, Duration connectTimeout, RetentionSettings retention) {
        this(dataDir, url, user, password, poolSize, connectTimeout, retention, DEFAULT_MIN_FREE_SPACE);
    }

    /** Without credentials, with the default pool and retention. */
    public StoreSettings(Path dataDir, Optional<String> url) {
        this(dataDir, url, Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT,
                RetentionSettings.defaults());
    }

    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_DATA_DIR, Optional.empty());
    }

    /** A relative path is taken relative to the current directory, as for a command-line argument. */
    public StoreSettings withDataDir(Path dir) {
        return new StoreSettings(dir.toAbsolutePath(), url, user, password, poolSize, connectTimeout, retention,
                minFreeSpace);
    }

    public StoreSettings withMinFreeSpace(long bytes) {
        return new StoreSettings(dataDir, url, user, password, poolSize, connectTimeout, retention, bytes);
    }

    /** Why the text is no usable JDBC URL, or empty if it is. */
    static Optional<String> jdbcUrlProblem(String url) {
        if (url.startsWith("jdbc:") && url.length() > "jdbc:".length()) {
            return Optional.empty();
        }
        // Not quoted: the text may hold a password.
        return Optional.of("the database URL is no JDBC URL (allowed: jdbc:mariadb://host:3306/peekaboo,"
                + " mysql://user:password@host:3306/peekaboo, jdbc:h2:file:/path/db, or no url for the"
                + " embedded database)");
    }

    private static void checkJdbcUrl(String url) {
        jdbcUrlProblem(url).ifPresent(problem -> {
            throw new ConfigException(problem);
        });
    }
}
