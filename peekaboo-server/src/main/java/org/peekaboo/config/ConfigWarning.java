package org.peekaboo.config;

import java.util.Objects;

/** Something in the configuration that works but that the operator should know about. */
public record ConfigWarning(ConfigLocation location, String section, String key, String message) {
    public ConfigWarning {
        Objects.requireNonNull(message, "message");
    }

    /** The same {@code file:line: [section] key: message} form as {@link ConfigException}. */
    @Override
    public String toString() {
        return ConfigException.describe(location, section, key, message);
    }
}
