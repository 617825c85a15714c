package org.peekaboo.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.api.ErrorCode;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.status.LockHolders;
import org.peekaboo.http.AnalysisJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open database with Peekaboo's schema: a HikariCP connection pool, migrated by Flyway
 * when opened, and the jOOQ context to query it. Thread-safe.
 *
 * <p>Pooled connections are validated before they are handed out, so a restarted database
 * server is picked up without restarting Peekaboo; while it is down, a request waits at most
 * the connect timeout for a connection and then fails (and its sample ends {@code unchecked}).
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /**
     * How often a down database is tried again by the one probe while requests are answered
     * {@code unchecked} at once; also how long after its return they may still be.
     */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final String maskedUrl;
    private final boolean thisProcessOnly;
    private final SQLDialect dialect;
    private final HikariDataSource pool;
    private final DSLContext dsl;
    private final DatabaseOutage outage;
    private final Optional<DataDirectory> dataDirectory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(String maskedUrl, boolean thisProcessOnly, SQLDialect dialect, HikariDataSource pool,
                     Optional<DataDirectory> dataDirectory) {
        this.maskedUrl = maskedUrl;
        this.thisProcessOnly = thisProcessOnly;
        this.dialect = dialect;
        this.pool = pool;
        this.dataDirectory = dataDirectory;
        this.dsl = DSL.using(pool, dialect, new Settings().withRenderSchema(false));
        this.outage = DatabaseOutage.probing(maskedUrl, Clock.systemUTC(), new DatabaseOutage.Probe() {
            @Override
            public void check() throws Exception {
                probe();
            }

            @Override
            public void back() {
                // Connections made before the outage may be dead, or hold a database H2 has closed.
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        }, PROBE_INTERVAL);
    }

    /**
     * Opens the database and brings its schema up to date. For an embedded H2 database the
     * settings the schema needs are added to the URL and the data directory is created
     * (owner only) if missing.
     *
     * @throws StoreException when the database cannot be opened or migrated; the message
     *                        names the URL (passwords masked) and the cause
     */
    public static Database open(DatabaseSettings settings) {
        return open(settings, 0);
    }

    /**
     * Like {@link #open(DatabaseSettings)}; an embedded database's directory is then checked
     * (permissions, and free space against {@code warnBelowFreeBytes}) now and by
     * {@link #dataDirectory()}'s owner from time to time.
     */
    public static Database open(DatabaseSettings settings, long warnBelowFreeBytes) {
        String maskedUrl = JdbcUrl.masked(settings.url());
        SQLDialect dialect = JdbcUrl.dialect(settings.url()).orElseThrow(() -> new StoreException(
                "Cannot open database " + maskedUrl + ": unsupported JDBC URL; use jdbc:h2: or jdbc:mariadb:", null));
        String url = settings.url();
        Optional<DataDirectory> dataDirectory = Optional.empty();
        if (dialect == SQLDialect.H2) {
            try {
                url = JdbcUrl.withoutCloseOnExit(JdbcUrl.withRequiredH2Settings(url));
            } catch (IllegalArgumentException e) {
                throw new StoreException("Cannot open database " + maskedUrl + ": " + e.getMessage(), e);
            }
            dataDirectory = createDataDirectory(maskedUrl, JdbcUrl.h2DatabaseFile(url))
                    .map(directory -> new DataDirectory(directory, warnBelowFreeBytes));
        }
        HikariConfig poolConfig = poolConfig(dialect, url, settings, maskedUrl);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig);
        } catch (RuntimeException e) {
            throw openFailure(maskedUrl, settings.password(), e);
        }
        try {
            checkConnection(pool);
            MigrateResult migration = migrate(pool);
            if (dialect == SQLDialect.MARIADB || dialect == SQLDialect.MYSQL) {
                requireUtf8mb4(pool);
            } else {
                checkpoint(pool);
            }
            LOG.info("Database {} open, schema version {} ({} migration(s) applied now)",
                    maskedUrl, migration.targetSchemaVersion != null ? migration.targetSchemaVersion
                            : migration.initialSchemaVersion, migration.migrationsExecuted);
            dataDirectory.ifPresent(DataDirectory::check);
            return new Database(maskedUrl, JdbcUrl.isH2FileOfThisProcessOnly(url), dialect, pool, dataDirectory);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw openFailure(maskedUrl, settings.password(), e);
        }
    }

    /**
     * Whether no other process can open this database while this one has it open (an embedded H2
     * file): then no other instance shares its analyses, and samples need no lock rows.
     */
    public boolean openToThisProcessOnly() {
        return thisProcessOnly;
    }

    /** The lock rows of instance {@code instanceId}, sharing the store's outage reporting. */
    public SampleLocks sampleLocks(String instanceId) {
        return new JooqSampleLocks(dsl, instanceId, Retry.withDefaults(outage));
    }

    /** The instances holding lock rows, as {@code peekaboo status} shows them. */
    public LockHolders lockHolders() {
        return new JooqLockHolders(dsl, Retry.withDefaults(outage));
    }

    /** The analyses as the postmaster's page reads them. */
    public AnalysisJournal journal() {
        return new JooqAnalysisJournal(dsl);
    }

    /**
     * A store that records analyses as {@code instanceId} and reuses results for
     * {@code resultMaxAge} after they finished, by {@code clock}; closing it closes this database.
     */
    public AnalysisStore analysisStore(String instanceId, Clock clock, Duration resultMaxAge) {
        return new JooqAnalysisStore(dsl, instanceId, Retry.withDefaults(outage), this::close, clock, resultMaxAge,
                thisProcessOnly);
    }

    /** The REST API's jobs, recorded as instance {@code instanceId}. */
    public JooqHttpJobs httpJobs(String instanceId, Clock clock) {
        return new JooqHttpJobs(dsl, instanceId, Retry.withDefaults(outage), clock);
    }

    /**
     * Purges rows older than {@code purgeAfter} in batches of {@code batchSize}, one instance at
     * a time by the purge lock, which {@code locks} take for {@code lease}.
     */
    public Purger purger(SampleLocks locks, Clock clock, Duration purgeAfter, int batchSize, Duration lease) {
        return new Purger(dsl, locks, Retry.withDefaults(outage), clock, purgeAfter, batchSize, lease);
    }

    public DSLContext dsl() {
        return dsl;
    }

    /** Whether the database is reachable, as the stores of this database last found it. */
    public DatabaseOutage outage() {
        return outage;
    }

    /** The directory of an embedded database file; empty for a database server. */
    public Optional<DataDirectory> dataDirectory() {
        return dataDirectory;
    }

    /** The database product, for people: {@code H2} or {@code MariaDB}. */
    public String kind() {
        return dialect == SQLDialect.H2 ? "H2" : "MariaDB";
    }

    public SQLDialect dialect() {
        return dialect;
    }

    /** The URL with passwords masked, for messages. */
    public String maskedUrl() {
        return maskedUrl;
    }

    /** Closes every pooled connection; an embedded H2 database is closed (and unlocked) with them. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            outage.close();
            pool.close();
            // H2 writes its file once more when it closes; a file it created then is tightened too.
            dataDirectory.ifPresent(DataDirectory::tightenPermissions);
            LOG.info("Database {} closed", maskedUrl);
        }
    }

    /**
     * Whether the database can be used again after an outage, on a connection of its own: the
     * pool's may be busy (which is no outage) or dead. An embedded database that H2 closed after
     * a failed write is reopened by a new connection, so it is tried only once it has room to
     * write.
     */
    private void probe() throws Exception {
        if (dataDirectory.isPresent()) {
            dataDirectory.get().requireRoomToWrite();
        }
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        // The table, not just the connection: a database that came back without its schema is not back.
        try (Connection connection = DriverManager.getConnection(pool.getJdbcUrl(), properties);
             PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM analysis WHERE 1 = 0")) {
            statement.execute();
        }
    }

    private static Optional<Path> createDataDirectory(String maskedUrl, Optional<Path> databaseFile) {
        Path directory = databaseFile.map(Path::toAbsolutePath).map(Path::getParent).orElse(null);
        if (directory == null || Files.isDirectory(directory)) {
            return Optional.ofNullable(directory);
        }
        try {
            // Analyses name the attachments of other people's mail: nobody else may read them.
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            LOG.info("Created data directory {}", directory);
            return Optional.of(directory);
        } catch (IOException | UnsupportedOperationException e) {
            throw new StoreException("Cannot open database " + maskedUrl + ": cannot create its directory "
                    + directory + ": " + e, e);
        }
    }

    private static HikariConfig poolConfig(SQLDialect dialect, String url, DatabaseSettings settings,
                                           String maskedUrl) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("peekaboo-db");
        config.setJdbcUrl(url);
        switch (dialect) {
            case H2 -> {
                // The same default as the embedded settings, so either way opens the same file.
                config.setUsername(settings.user() == null ? "sa" : settings.user());
                config.setPassword(settings.password() == null ? "" : settings.password());
            }
            case MARIADB, MYSQL -> {
                config.setDriverClassName(org.mariadb.jdbc.Driver.class.getName());
                if (settings.user() != null) {
                    config.setUsername(settings.user());
                }
                if (settings.password() != null) {
                    config.setPassword(settings.password());
                }
                long timeoutMillis = settings.connectTimeout().toMillis();
                // Without it an unreachable host blocks in the driver's TCP connect far longer
                // than the pool is willing to wait.
                config.addDataSourceProperty("connectTimeout", String.valueOf(timeoutMillis));
                // Every sample runs the same few statements: prepared on the server once per
                // connection, they are parsed once instead of for every sample. Measured with
                // scripts/core-bench.sh: about 1.7 times the samples per second on the same CPU.
                // A URL that says otherwise (e.g. for a proxy without binary protocol) wins.
                if (!url.toLowerCase(Locale.ROOT).contains("useserverprepstmts")) {
                    config.addDataSourceProperty("useServerPrepStmts", "true");
                }
            }
            default -> throw new StoreException("Cannot open database " + maskedUrl + ": " + dialect.getName()
                    + " is not supported yet (no driver is bundled); use jdbc:h2: or jdbc:mariadb:", null);
        }
        config.setMaximumPoolSize(settings.maxConnections());
        // Idle connections are closed and reopened on demand: a pool that keeps all of them
        // open holds sessions on a shared server for nothing.
        config.setMinimumIdle(Math.min(2, settings.maxConnections()));
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // A connection is validated (JDBC isValid) before it is handed out when it has been idle;
        // the check must give up before the request does.
        config.setValidationTimeout(Math.max(DatabaseSettings.MIN_CONNECT_TIMEOUT.toMillis(),
                settings.connectTimeout().toMillis() / 2));
        // Idle connections are probed now and then, so that connections a restarted server
        // dropped are replaced before a request needs them.
        config.setKeepaliveTime(Duration.ofMinutes(1).toMillis());
        // Start-up fails at once with the driver's diagnosis rather than a daemon that
        // answers every request unchecked.
        config.setInitializationFailTimeout(1);
        return config;
    }

    /**
     * Writes H2's changes to its file now rather than up to a second later: a disk that fills
     * up in that second would otherwise leave a file without the schema.
     */
    private static void checkpoint(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("CHECKPOINT")) {
            statement.execute();
        }
    }

    /** Fails with the driver's own diagnosis before Flyway wraps it into its own words. */
    private static void checkConnection(HikariDataSource pool) throws SQLException {
        pool.getConnection().close();
    }

    private static MigrateResult migrate(HikariDataSource pool) {
        return Flyway.configure(Database.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /**
     * MariaDB creates tables in the database's default character set, which may be latin1;
     * then every non-Latin file name or reason would fail to store and hold its mail back.
     */
    private static void requireUtf8mb4(HikariDataSource pool) throws SQLException {
        List<String> offending = new ArrayList<>();
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT column_name, character_set_name FROM information_schema.columns"
                             + " WHERE table_schema = DATABASE() AND table_name = 'analysis'"
                             + " AND character_set_name IS NOT NULL AND character_set_name <> 'utf8mb4'"
                             + " ORDER BY ordinal_position");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                offending.add(rows.getString(1) + " (" + rows.getString(2) + ")");
            }
        }
        if (!offending.isEmpty()) {
            throw new IllegalStateException("table analysis stores text in another character set than utf8mb4: "
                    + String.join(", ", offending) + "; convert it with"
                    + " ALTER TABLE analysis CONVERT TO CHARACTER SET utf8mb4 and create databases for Peekaboo"
                    + " with CHARACTER SET utf8mb4");
        }
    }

    private static StoreException openFailure(String maskedUrl, String password, Exception failure) {
        if (isH2LockedByAnotherProcess(failure)) {
            return new StoreException("Database " + maskedUrl + " is in use by another process: an embedded H2"
                    + " database can be open in one process only; stop the other process or give this one"
                    + " its own data directory", failure);
        }
        // The driver's own words, not the pool's or jOOQ's wrapping of them.
        Throwable diagnosed = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                diagnosed = cause;
                break;
            }
        }
        String cause = diagnosed.getMessage();
        if (cause == null) {
            cause = failure.toString();
        }
        String diagnosis = JdbcUrl.masked(cause);
        // Drivers sometimes quote what they were given, credentials included.
        if (password != null && password.length() >= 3) {
            diagnosis = diagnosis.replace(password, "***");
        }
        return new StoreException("Cannot open database " + maskedUrl + ": " + diagnosis, failure);
    }

    private static boolean isH2LockedByAnotherProcess(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                return true;
            }
        }
        return false;
    }
}
