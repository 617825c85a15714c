package org.peekaboo.db;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.SQLDialect;

/** What Peekaboo needs to know about a JDBC URL before it hands it to a driver. */
final class JdbcUrl {
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)(password\\s*=\\s*)[^;&]*");
    private static final Pattern CREDENTIALS_IN_AUTHORITY = Pattern.compile("(//[^/:@]*:)[^/@]*@");
    /** H2 URL prefixes that name a server or a special file system rather than a plain local file. */
    private static final Pattern H2_NON_FILE_PREFIX = Pattern.compile("(?i)^(mem:|tcp:|ssl:|[a-z]{2,}:).*");

    private JdbcUrl() {
    }

    /** The URL fit for messages and logs: passwords in it replaced by {@code ***}. */
    static String masked(String url) {
        String withoutSettings = PASSWORD_SETTING.matcher(url).replaceAll("$1***");
        return CREDENTIALS_IN_AUTHORITY.matcher(withoutSettings).replaceAll("$1***@");
    }

    /** The jOOQ dialect for the URL's database, empty for databases Peekaboo does not know. */
    static Optional<SQLDialect> dialect(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return Optional.of(SQLDialect.H2);
        }
        if (lower.startsWith("jdbc:mariadb:")) {
            return Optional.of(SQLDialect.MARIADB);
        }
        if (lower.startsWith("jdbc:mysql:")) {
            return Optional.of(SQLDialect.MYSQL);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return Optional.of(SQLDialect.POSTGRES);
        }
        return Optional.empty();
    }

    /**
     * An H2 URL with the settings the schema needs: MariaDB mode for its column types and
     * lower-case identifiers so that the generated (quoted, lower-case) names match.
     * Missing settings are appended; conflicting ones are refused.
     */
    static String withRequiredH2Settings(String url) {
        String result = url;
        result = withH2Setting(result, "MODE", "MariaDB");
        result = withH2Setting(result, "DATABASE_TO_LOWER", "TRUE");
        return result;
    }

    /**
     * An H2 URL that leaves closing the database to Peekaboo: by default H2 closes it from a JVM
     * shutdown hook of its own, at once on SIGTERM, while analyses still run and lock rows are
     * still to be released in the daemon's shutdown grace.
     */
    static String withoutCloseOnExit(String url) {
        return withH2Setting(url, "DB_CLOSE_ON_EXIT", "FALSE");
    }

    private static String withH2Setting(String url, String key, String requiredValue) {
        Matcher existing = Pattern.compile("(?i);\\s*" + key + "\\s*=([^;]*)").matcher(url);
        if (!existing.find()) {
            return url + ";" + key + "=" + requiredValue;
        }
        String value = existing.group(1).trim();
        if (!value.equalsIgnoreCase(requiredValue)) {
            throw new IllegalArgumentException("the H2 URL sets " + key + "=" + value
                    + " but Peekaboo's schema needs " + key + "=" + requiredValue);
        }
        return url;
    }

    /**
     * The database file (without H2's {@code .mv.db} suffix) an embedded H2 URL names, or
     * empty for in-memory, server and special file system URLs.
     */
    static Optional<Path> h2DatabaseFile(String url) {
        String rest = url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        String location = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (location.regionMatches(true, 0, "file:", 0, "file:".length())) {
            location = location.substring("file:".length());
        } else if (H2_NON_FILE_PREFIX.matcher(location).matches()) {
            return Optional.empty();
        }
        if (location.startsWith("~")) {
            location = System.getProperty("user.home") + location.substring(1);
        }
        return location.isEmpty() ? Optional.empty() : Optional.of(Path.of(location));
    }

    /**
     * Whether the URL names an H2 database file that this process opens itself and no other
     * process can open meanwhile: H2 locks such a file, unless {@code AUTO_SERVER} lets other
     * processes in through a server of its own.
     */
    static boolean isH2FileOfThisProcessOnly(String url) {
        return dialect(url).filter(SQLDialect.H2::equals).isPresent()
                && h2DatabaseFile(url).isPresent()
                && !Pattern.compile("(?i);\\s*AUTO_SERVER\\s*=\\s*TRUE").matcher(url).find();
    }
}
