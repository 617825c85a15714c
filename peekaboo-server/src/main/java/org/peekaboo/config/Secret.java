package org.peekaboo.config;

import java.util.Objects;

/**
 * A password. Its {@code toString()} shows no part of it, so the records that carry it can be
 * logged and compared in tests without leaking it.
 */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "***";
    }
}
