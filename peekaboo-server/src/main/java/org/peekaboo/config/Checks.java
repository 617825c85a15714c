package org.peekaboo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Invariants the settings records enforce themselves, because they are also built from
 * command-line overrides and code, not only through {@link SectionReader}.
 */
final class Checks {
    private Checks() {
    }

    static void inRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(what + " " + value + " is out of range (allowed: " + min + " to " + max + ")");
        }
    }

    static void inRange(String what, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(what + " " + Units.formatDuration(value) + " is out of range (allowed: "
                    + Units.formatDuration(min) + " to " + Units.formatDuration(max) + ")");
        }
    }

    static void absolute(String what, Path path) {
        Objects.requireNonNull(path, what);
        if (!path.isAbsolute()) {
            throw new ConfigException(what + " " + path + " must be an absolute path");
        }
    }
}
