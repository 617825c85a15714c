package org.peekaboo.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Which ruleset judges the samples.
 *
 * @param config the ruleset.conf to load ({@code [ruleset] config}, already resolved against
 *               the directory of peekaboo.conf), or empty for the built-in ruleset
 */
public record RulesetSettings(Optional<Path> config) {
    public RulesetSettings {
        Objects.requireNonNull(config, "config");
    }

    public static RulesetSettings builtIn() {
        return new RulesetSettings(Optional.empty());
    }
}
