package org.peekaboo.config;

import java.util.Objects;

/**
 * One option value as written.
 *
 * @param key      the lower-cased option name; for a list item the full name including its
 *                 distinguisher (e.g. {@code whitelist.3}), so messages point at the item
 * @param value    trimmed, continuation lines joined with {@code "\n"}, {@code %%} read as {@code %}
 * @param location where the option starts
 */
public record IniValue(String key, String value, ConfigLocation location) {
    public IniValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(location, "location");
    }
}
