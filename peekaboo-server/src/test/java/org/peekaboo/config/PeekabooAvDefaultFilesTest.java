package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeekabooAvDefaultFilesTest {
    private static final Set<Path> BOTH = Set.of(PeekabooAvDefaultFiles.RULESET, PeekabooAvDefaultFiles.ANALYZERS);

    @Test
    void aMigratedSiteRelyingOnPeekabooAvsDefaultsIsToldWhichFilesGoUnread() {
        assertThat(PeekabooAvDefaultFiles.unread(RulesetSettings.builtIn(), BOTH::contains)).containsExactly(
                "[ruleset] config is not set, so the built-in ruleset judges; PeekabooAV would have read"
                        + " /opt/peekaboo/etc/ruleset.conf, which exists: set \"config: /opt/peekaboo/etc/ruleset.conf\""
                        + " in [ruleset] to use it",
                "[analyzers] config is not set, so no Cortex analyzer is asked; PeekabooAV would have read"
                        + " /opt/peekaboo/etc/analyzers.conf, which exists: set \"config:"
                        + " /opt/peekaboo/etc/analyzers.conf\" in [analyzers] to use it");
    }

    @Test
    void filesTheConfigurationNamesOrThatDoNotExistAreNoConcern() {
        RulesetSettings named = new RulesetSettings(Optional.of(Path.of("/etc/peekaboo/ruleset.conf")),
                Optional.of(Path.of("/etc/peekaboo/analyzers.conf")));

        assertThat(PeekabooAvDefaultFiles.unread(named, BOTH::contains)).isEmpty();
        assertThat(PeekabooAvDefaultFiles.unread(RulesetSettings.builtIn(), path -> false)).isEmpty();
        assertThat(PeekabooAvDefaultFiles.unread(new RulesetSettings(Optional.of(Path.of("/etc/peekaboo/r.conf"))),
                BOTH::contains)).singleElement().asString().startsWith("[analyzers] config is not set");
    }
}
