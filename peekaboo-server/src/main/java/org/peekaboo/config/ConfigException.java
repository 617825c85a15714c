package org.peekaboo.config;

import java.util.Optional;

/**
 * A configuration that cannot be used. The message is the whole diagnosis, e.g.
 * {@code /etc/peekaboo/ruleset.conf:12: [file_larger_than] bytes: "abc" is not a whole number},
 * so start-up code only has to print it.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ConfigLocation location;
    private final String section;
    private final String key;

    /** A problem with no single place in a file, e.g. a missing main file. */
    public ConfigException(String message) {
        this(message, (Throwable) null);
    }

    /** Like {@link #ConfigException(String)}, keeping the underlying cause (e.g. an I/O error). */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.location = null;
        this.section = null;
        this.key = null;
    }

    /**
     * A problem with one option. Each of location, section and key may be null when it is
     * not known (e.g. a default value or a whole section) and is then left out of the message.
     */
    public ConfigException(ConfigLocation location, String section, String key, String problem) {
        super(describe(location, section, key, problem));
        this.location = location;
        this.section = section;
        this.key = key;
    }

    /** A problem with one line that is not (yet) an option, e.g. a syntax error. */
    public static ConfigException at(ConfigLocation location, String problem) {
        return new ConfigException(location, null, null, problem);
    }

    public Optional<ConfigLocation> location() {
        return Optional.ofNullable(location);
    }

    public Optional<String> section() {
        return Optional.ofNullable(section);
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    static String describe(ConfigLocation location, String section, String key, String problem) {
        StringBuilder message = new StringBuilder();
        if (location != null) {
            message.append(location).append(": ");
        }
        if (section != null) {
            message.append('[').append(section).append("] ");
        }
        if (key != null) {
            message.append(key).append(": ");
        }
        return message.append(problem).toString();
    }
}
