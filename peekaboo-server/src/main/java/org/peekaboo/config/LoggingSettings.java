package org.peekaboo.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * @param level the root log level as SLF4J names it: ERROR, WARN, INFO, DEBUG or TRACE
 *              ({@code [logging] log_level})
 */
public record LoggingSettings(String level) {
    public static final String DEFAULT_LEVEL = "INFO";

    /** Python's level names map onto SLF4J's so PeekabooAV files keep working. */
    private static final Map<String, String> LEVELS = Map.of(
            "CRITICAL", "ERROR", "ERROR", "ERROR", "WARNING", "WARN", "WARN", "WARN",
            "INFO", "INFO", "DEBUG", "DEBUG", "TRACE", "TRACE");

    static final String ALLOWED = "allowed: ERROR, WARN, WARNING, INFO, DEBUG, TRACE, CRITICAL (= ERROR)";

    public LoggingSettings {
        Objects.requireNonNull(level, "level");
        String normalized = LEVELS.get(level.strip().toUpperCase(Locale.ROOT));
        if (normalized == null) {
            throw new ConfigException("\"" + level + "\" is not a log level (" + ALLOWED + ")");
        }
        level = normalized;
    }

    public static LoggingSettings defaults() {
        return new LoggingSettings(DEFAULT_LEVEL);
    }
}
