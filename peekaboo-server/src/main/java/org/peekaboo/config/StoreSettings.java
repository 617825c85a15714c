package org.peekaboo.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where analyses are kept.
 *
 * @param dataDir Peekaboo's own state directory, home of the embedded database ({@code [global] data_dir})
 * @param url     a JDBC URL of an external database, or empty for the embedded H2 file in the data
 *                directory ({@code [db] url})
 */
public record StoreSettings(Path dataDir, Optional<String> url) {
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/peekaboo");

    public StoreSettings {
        Checks.absolute("data directory", dataDir);
        dataDir = dataDir.normalize();
        Objects.requireNonNull(url, "url");
        url.ifPresent(StoreSettings::checkJdbcUrl);
    }

    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_DATA_DIR, Optional.empty());
    }

    /** A relative path is taken relative to the current directory, as for a command-line argument. */
    public StoreSettings withDataDir(Path dir) {
        return new StoreSettings(dir.toAbsolutePath(), url);
    }

    /** Why the text is no usable JDBC URL, or empty if it is. */
    static Optional<String> jdbcUrlProblem(String url) {
        if (url.startsWith("jdbc:") && url.length() > "jdbc:".length()) {
            return Optional.empty();
        }
        // PeekabooAV used SQLAlchemy URLs; silently falling back to H2 would lose the operator's data.
        return Optional.of("\"" + url + "\" is not a JDBC URL (allowed: jdbc:mariadb://host:3306/peekaboo"
                + "?user=...&password=..., jdbc:h2:file:/path/db, or no url for the embedded database)");
    }

    private static void checkJdbcUrl(String url) {
        jdbcUrlProblem(url).ifPresent(problem -> {
            throw new ConfigException(problem);
        });
    }
}
