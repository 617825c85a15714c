package org.peekaboo.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code [db] url} as the driver needs it: a JDBC URL, and the credentials apart from it so
 * that the URL can be logged as it is.
 *
 * <p>Besides JDBC URLs the SQLAlchemy form PeekabooAV used is accepted for MariaDB and MySQL:
 * {@code mysql://user:password@host[:port]/database}, also as {@code mysql+<driver>://} and
 * {@code mariadb[+<driver>]://}. User and password are percent-decoded (as SQLAlchemy does), so
 * a password with {@code @}, {@code :} or {@code /} is written {@code %40}, {@code %3A}, {@code %2F}.
 * Several hosts separated by commas ({@code mysql://user:password@db1,db2:3307,db3/database}, e.g.
 * the nodes of a Galera cluster) become a Connector/J {@code jdbc:mariadb:sequential:} URL: the
 * driver connects to the first host that answers, in the order given.
 *
 * @param jdbcUrl  the URL for the driver; holds no credentials when it was translated
 * @param user     the user name from a SQLAlchemy URL
 * @param password the password from a SQLAlchemy URL
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<Secret> password) {
    public static final int DEFAULT_MARIADB_PORT = 3306;

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*", Pattern.DOTALL);
    private static final Pattern MARIADB_SCHEME = Pattern.compile("(mysql|mariadb)(\\+[a-z0-9_]+)?");
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_$-]{1,64}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");
    private static final String EXAMPLE = "mysql://user:password@host:3306/database";

    public DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * @throws ConfigException naming what is wrong; the message never contains the password
     */
    public static DatabaseUrl parse(String text) {
        String url = text.strip();
        if (url.startsWith("jdbc:")) {
            StoreSettings.jdbcUrlProblem(url).ifPresent(problem -> {
                throw new ConfigException(problem);
            });
            return new DatabaseUrl(url, Optional.empty(), Optional.empty());
        }
        var scheme = SCHEME.matcher(url);
        if (!scheme.matches()) {
            throw new ConfigException("the database URL is neither a JDBC URL (jdbc:mariadb://host:3306/database)"
                    + " nor of the form " + EXAMPLE);
        }
        String schemeName = scheme.group(1).toLowerCase(Locale.ROOT);
        if (!MARIADB_SCHEME.matcher(schemeName).matches()) {
            // PeekabooAV also allowed SQLite and PostgreSQL; Peekaboo bundles MariaDB and H2 only.
            throw new ConfigException("database URLs of scheme " + scheme.group(1) + ":// are not supported;"
                    + " use " + EXAMPLE + ", a jdbc:mariadb: or jdbc:h2: URL, or no url for the embedded database");
        }
        return parseMariaDb(url.substring(scheme.group(1).length() + "://".length()));
    }

    private static DatabaseUrl parseMariaDb(String rest) {
        // The last @ ends the credentials: an unencoded @ in a password still parses.
        int at = rest.lastIndexOf('@');
        int slash = rest.indexOf('/', at + 1);
        if (slash < 0) {
            throw new ConfigException("the database URL names no database; write " + EXAMPLE);
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (rawUser.isEmpty()) {
                throw new ConfigException("the database URL has an '@' but no user name before it; write " + EXAMPLE);
            }
            user = Optional.of(percentDecoded(rawUser, "user name"));
            if (colon >= 0) {
                password = Optional.of(new Secret(percentDecoded(userInfo.substring(colon + 1), "password")));
            }
        }
        String[] hostPorts = rest.substring(at + 1, slash).split(",", -1);
        List<String> hosts = new ArrayList<>(hostPorts.length);
        for (String hostPort : hostPorts) {
            hosts.add(hostAndPort(hostPort));
        }
        String path = rest.substring(slash + 1);
        int query = path.indexOf('?');
        String database = query < 0 ? path : path.substring(0, query);
        if (query >= 0) {
            checkQuery(path.substring(query + 1));
        }
        if (database.isEmpty()) {
            throw new ConfigException("the database URL names no database; write " + EXAMPLE);
        }
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new ConfigException("the database name \"" + database + "\" in the URL may have only letters,"
                    + " digits, _, $ and - (at most 64)");
        }
        String prefix = hosts.size() == 1 ? "jdbc:mariadb://" : "jdbc:mariadb:sequential://";
        return new DatabaseUrl(prefix + String.join(",", hosts) + "/" + database, user, password);
    }

    /** {@code host[:port]} checked, with the default port if it names none. */
    private static String hostAndPort(String hostPort) {
        String host;
        int port = DEFAULT_MARIADB_PORT;
        int portColon = hostPort.lastIndexOf(':');
        if (portColon >= 0 && !hostPort.substring(portColon).contains("]")) {
            host = hostPort.substring(0, portColon);
            port = port(hostPort.substring(portColon + 1));
        } else {
            host = hostPort;
        }
        if (host.isEmpty()) {
            throw new ConfigException("the database URL names no host; write " + EXAMPLE);
        }
        if (!HOST_NAME.matcher(host).matches()) {
            throw new ConfigException("the database URL's host \"" + host + "\" is not a host name or IP address");
        }
        return host + ":" + port;
    }

    /**
     * SQLAlchemy passes query options to the Python driver, whose options Connector/J does not
     * share. Only the character set is understood, and Peekaboo always talks utf8mb4.
     */
    private static void checkQuery(String query) {
        for (String option : query.split("&")) {
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (!name.isEmpty() && !name.equalsIgnoreCase("charset")) {
                throw new ConfigException("the database URL option \"" + name + "\" is not supported (only charset,"
                        + " which is ignored: Peekaboo always uses utf8mb4); for driver options use a"
                        + " jdbc:mariadb: URL");
            }
        }
    }

    private static int port(String text) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("the database URL's port \"" + text + "\" is not a number from 1 to 65535");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("the database URL's port " + port + " is out of range (1 to 65535)");
        }
        return port;
    }

    /** Percent-decoding as in URLs, but a '+' stays a '+' (it is no space outside of forms). */
    private static String percentDecoded(String text, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int value = i + 2 < text.length() ? hexByte(text.charAt(i + 1), text.charAt(i + 2)) : -1;
                if (value < 0) {
                    // The position only: the text may be the password.
                    throw new ConfigException("the " + what + " in the database URL has a '%' at position " + (i + 1)
                            + " that is not followed by two hex digits; write a literal % as %25");
                }
                bytes.write(value);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("the " + what + " in the database URL is percent-encoded but not UTF-8");
        }
    }

    private static int hexByte(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
}
