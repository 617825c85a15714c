package org.peekaboo.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * PeekabooAV's peekaboo.conf may leave {@code [ruleset] config} and {@code [analyzers] config}
 * unset (its shipped sample comments both out): PeekabooAV then reads its own defaults below
 * /opt/peekaboo/etc. Peekaboo's defaults are its built-in ruleset and no analyzers, so a
 * migrated site whose files still lie there would get other rules without a word; these are the
 * words.
 */
public final class PeekabooAvDefaultFiles {
    static final Path RULESET = Path.of("/opt/peekaboo/etc/ruleset.conf");
    static final Path ANALYZERS = Path.of("/opt/peekaboo/etc/analyzers.conf");

    private PeekabooAvDefaultFiles() {
    }

    /** A warning for each of PeekabooAV's default files that exists and that {@code settings} leave unread. */
    public static List<String> unread(RulesetSettings settings, Predicate<Path> exists) {
        List<String> warnings = new ArrayList<>(2);
        if (settings.config().isEmpty() && exists.test(RULESET)) {
            warnings.add("[ruleset] config is not set, so the built-in ruleset judges; PeekabooAV would have read "
                    + RULESET + ", which exists: set \"config: " + RULESET + "\" in [ruleset] to use it");
        }
        if (settings.analyzers().isEmpty() && exists.test(ANALYZERS)) {
            warnings.add("[analyzers] config is not set, so no Cortex analyzer is asked; PeekabooAV would have read "
                    + ANALYZERS + ", which exists: set \"config: " + ANALYZERS + "\" in [analyzers] to use it");
        }
        return warnings;
    }
}
