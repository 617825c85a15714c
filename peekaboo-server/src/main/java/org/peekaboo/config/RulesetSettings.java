package org.peekaboo.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which ruleset judges the samples, and where the analyzers its expressions ask live.
 *
 * @param config    the ruleset.conf to load ({@code [ruleset] config}, already resolved against
 *                  the directory of peekaboo.conf), or empty for the built-in ruleset
 * @param analyzers the analyzers.conf with the Cortex settings ({@code [analyzers] config},
 *                  resolved the same way), or empty when no rule needs Cortex
 */
public record RulesetSettings(Optional<Path> config, Optional<Path> analyzers) {
    public RulesetSettings {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(analyzers, "analyzers");
    }

    /** A ruleset without external analyzers. */
    public RulesetSettings(Optional<Path> config) {
        this(config, Optional.empty());
    }

    public static RulesetSettings builtIn() {
        return new RulesetSettings(Optional.empty());
    }
}
