package org.peekaboo.config;

import java.util.List;
import java.util.Objects;

/** A usable configuration and what the operator should still be told about it. */
public record LoadedConfig(PeekabooConfig config, List<ConfigWarning> warnings) {
    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
