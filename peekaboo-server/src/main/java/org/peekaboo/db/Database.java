package org.peekaboo.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.ConnectionPoolDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.mariadb.jdbc.MariaDbDataSource;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open database with Peekaboo's schema: a small connection pool, migrated by Flyway
 * when opened, and the jOOQ context to query it. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final String maskedUrl;
    private final SQLDialect dialect;
    private final JdbcConnectionPool pool;
    private final DSLContext dsl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(String maskedUrl, SQLDialect dialect, JdbcConnectionPool pool) {
        this.maskedUrl = maskedUrl;
        this.dialect = dialect;
        this.pool = pool;
        this.dsl = DSL.using(pool, dialect, new Settings().withRenderSchema(false));
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
        String maskedUrl = JdbcUrl.masked(settings.url());
        SQLDialect dialect = JdbcUrl.dialect(settings.url()).orElseThrow(() -> new StoreException(
                "Cannot open database " + maskedUrl + ": unsupported JDBC URL; use jdbc:h2: or jdbc:mariadb:", null));
        String url = settings.url();
        if (dialect == SQLDialect.H2) {
            try {
                url = JdbcUrl.withRequiredH2Settings(url);
            } catch (IllegalArgumentException e) {
                throw new StoreException("Cannot open database " + maskedUrl + ": " + e.getMessage(), e);
            }
            createDataDirectory(maskedUrl, JdbcUrl.h2DatabaseFile(url));
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(connectionSource(dialect, url, settings, maskedUrl));
        pool.setMaxConnections(settings.maxConnections());
        try {
            checkConnection(pool);
            MigrateResult migration = migrate(pool);
            if (dialect == SQLDialect.MARIADB || dialect == SQLDialect.MYSQL) {
                requireUtf8mb4(pool);
            }
            LOG.info("Database {} open, schema version {} ({} migration(s) applied now)",
                    maskedUrl, migration.targetSchemaVersion != null ? migration.targetSchemaVersion
                            : migration.initialSchemaVersion, migration.migrationsExecuted);
            return new Database(maskedUrl, dialect, pool);
        } catch (SQLException | RuntimeException e) {
            pool.dispose();
            throw openFailure(maskedUrl, settings.password(), e);
        }
    }

    /** A store that records analyses as {@code instanceId}; closing it closes this database. */
    public AnalysisStore analysisStore(String instanceId) {
        return new JooqAnalysisStore(dsl, instanceId, this::close);
    }

    public DSLContext dsl() {
        return dsl;
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
            pool.dispose();
            LOG.info("Database {} closed", maskedUrl);
        }
    }

    private static void createDataDirectory(String maskedUrl, Optional<Path> databaseFile) {
        Path directory = databaseFile.map(Path::toAbsolutePath).map(Path::getParent).orElse(null);
        if (directory == null || Files.isDirectory(directory)) {
            return;
        }
        try {
            // Analyses name the attachments of other people's mail: nobody else may read them.
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            LOG.info("Created data directory {}", directory);
        } catch (IOException | UnsupportedOperationException e) {
            throw new StoreException("Cannot open database " + maskedUrl + ": cannot create its directory "
                    + directory + ": " + e, e);
        }
    }

    private static ConnectionPoolDataSource connectionSource(SQLDialect dialect, String url,
                                                             DatabaseSettings settings, String maskedUrl) {
        switch (dialect) {
            case H2 -> {
                JdbcDataSource source = new JdbcDataSource();
                source.setURL(url);
                // The same default as the embedded settings, so either way opens the same file.
                source.setUser(settings.user() == null ? "sa" : settings.user());
                source.setPassword(settings.password() == null ? "" : settings.password());
                return source;
            }
            case MARIADB, MYSQL -> {
                try {
                    MariaDbDataSource source = new MariaDbDataSource(url);
                    if (settings.user() != null) {
                        source.setUser(settings.user());
                    }
                    if (settings.password() != null) {
                        source.setPassword(settings.password());
                    }
                    return source;
                } catch (SQLException e) {
                    throw openFailure(maskedUrl, settings.password(), e);
                }
            }
            default -> throw new StoreException("Cannot open database " + maskedUrl + ": " + dialect.getName()
                    + " is not supported yet (no driver is bundled); use jdbc:h2: or jdbc:mariadb:", null);
        }
    }

    /** Fails with the driver's own diagnosis before Flyway wraps it into its own words. */
    private static void checkConnection(JdbcConnectionPool pool) throws SQLException {
        pool.getConnection().close();
    }

    private static MigrateResult migrate(JdbcConnectionPool pool) {
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
    private static void requireUtf8mb4(JdbcConnectionPool pool) throws SQLException {
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
        String cause = failure instanceof DataAccessException && failure.getCause() != null
                ? failure.getCause().getMessage() : failure.getMessage();
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
