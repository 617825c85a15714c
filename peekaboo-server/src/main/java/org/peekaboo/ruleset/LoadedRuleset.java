package org.peekaboo.ruleset;

import java.util.List;
import java.util.Objects;
import org.peekaboo.config.ConfigWarning;

/**
 * A ruleset ready to run, with what the operator should be told about its configuration
 * (ignored options, rules that will answer {@code failed}).
 */
public record LoadedRuleset(Ruleset ruleset, List<ConfigWarning> warnings) {
    public LoadedRuleset {
        Objects.requireNonNull(ruleset, "ruleset");
        warnings = List.copyOf(warnings);
    }
}
