package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PeekabooConfigTest {
    private static final Path HOME = Path.of("/home/alice");
    private static final Path CWD = Path.of("/home/alice/mail");
    private static final Path TMP = Path.of("/tmp");

    private static EmbeddedEnvironment environment(Map<String, String> env, String user) {
        return new EmbeddedEnvironment(env, HOME, CWD, TMP, user);
    }

    @Nested
    class Embedded {
        @Test
        void usesXdgDirectoriesWhenSet() {
            PeekabooConfig config = PeekabooConfig.embedded(environment(
                    Map.of("XDG_RUNTIME_DIR", "/run/user/1000", "XDG_DATA_HOME", "/data/alice"), "alice"));

            assertThat(config.source()).isNull();
            assertThat(config.sourceFile()).isEmpty();
            assertThat(config.server().socketFile()).isEqualTo(Path.of("/run/user/1000/peekaboo/peekaboo.sock"));
            assertThat(config.store().dataDir()).isEqualTo(Path.of("/data/alice/peekaboo"));
        }

        @Test
        void fallsBackToTempAndHomeWithoutXdg() {
            PeekabooConfig config = PeekabooConfig.embedded(environment(Map.of(), "alice"));

            assertThat(config.server().socketFile()).isEqualTo(Path.of("/tmp/peekaboo-alice/peekaboo.sock"));
            assertThat(config.store().dataDir()).isEqualTo(Path.of("/home/alice/.local/share/peekaboo"));
        }

        @Test
        void ignoresEmptyAndRelativeXdgValuesAsTheSpecSays() {
            PeekabooConfig config = PeekabooConfig.embedded(environment(
                    Map.of("XDG_RUNTIME_DIR", "", "XDG_DATA_HOME", "relative/data"), "alice"));

            assertThat(config.server().socketFile()).isEqualTo(Path.of("/tmp/peekaboo-alice/peekaboo.sock"));
            assertThat(config.store().dataDir()).isEqualTo(Path.of("/home/alice/.local/share/peekaboo"));
        }

        @Test
        void userNameCannotEscapeTheTempDirectory() {
            assertThat(PeekabooConfig.embedded(environment(Map.of(), "../../etc")).server().socketFile())
                    .isEqualTo(Path.of("/tmp/peekaboo-.._.._etc/peekaboo.sock"));
            assertThat(PeekabooConfig.embedded(environment(Map.of(), "")).server().socketFile())
                    .isEqualTo(Path.of("/tmp/peekaboo-user/peekaboo.sock"));
        }

        @Test
        void allowsHomeTempAndCurrentDirectoryAndDefaultsTheRest() {
            PeekabooConfig config = PeekabooConfig.embedded(environment(Map.of(), "alice"));

            assertThat(config.server().allowedDirs()).containsExactly(HOME, TMP, CWD);
            assertThat(config.ruleset().config()).isEmpty();
            assertThat(config.analysis()).isEqualTo(AnalysisSettings.defaults());
            assertThat(config.logging()).isEqualTo(LoggingSettings.defaults());
            assertThat(config.store().url()).isEmpty();
            assertThat(config.server().listen()).isEmpty();
            assertThat(config.server().requestDeadline()).isEqualTo(ServerSettings.DEFAULT_REQUEST_DEADLINE);
        }

        @Test
        void sameDirectoryIsAllowedOnce() {
            PeekabooConfig config = PeekabooConfig.embedded(new EmbeddedEnvironment(Map.of(), HOME, HOME, TMP, "alice"));

            assertThat(config.server().allowedDirs()).containsExactly(HOME, TMP);
        }

        @Test
        void currentEnvironmentIsUsable() {
            EmbeddedEnvironment current = EmbeddedEnvironment.current();

            assertThat(current.cwd()).isAbsolute();
            assertThat(PeekabooConfig.embedded(current).server().allowedDirs()).isNotEmpty();
        }
    }

    @Nested
    class Overrides {
        private final PeekabooConfig base = PeekabooConfig.defaults(Path.of("/etc/peekaboo/peekaboo.conf"));

        @Test
        void withSocketFileReplacesOnlyThat() {
            PeekabooConfig changed = base.withSocketFile(Path.of("/srv/p.sock"));

            assertThat(changed.server().socketFile()).isEqualTo(Path.of("/srv/p.sock"));
            assertThat(changed.server().allowedDirs()).isEqualTo(base.server().allowedDirs());
            assertThat(changed.source()).isEqualTo(base.source());
            assertThat(changed.store()).isEqualTo(base.store());
        }

        @Test
        void withListenAndDataDir() {
            PeekabooConfig changed = base.withListen(new HostPort("127.0.0.1", 8100)).withDataDir(Path.of("/srv/data"));

            assertThat(changed.server().listen()).contains(new HostPort("127.0.0.1", 8100));
            assertThat(changed.store().dataDir()).isEqualTo(Path.of("/srv/data"));
            assertThat(changed.server().socketFile()).isEqualTo(base.server().socketFile());
        }

        @Test
        void withAllowedDirsReplacesTheList() {
            PeekabooConfig changed = base.withAllowedDirs(List.of(Path.of("/a"), Path.of("/b/../c")));

            assertThat(changed.server().allowedDirs()).containsExactly(Path.of("/a"), Path.of("/c"));
        }

        @Test
        void relativeOverridesAreTakenRelativeToTheCurrentDirectory() {
            Path cwd = Path.of("").toAbsolutePath();

            assertThat(base.withDataDir(Path.of("data")).store().dataDir()).isEqualTo(cwd.resolve("data"));
            assertThat(base.withSocketFile(Path.of("p.sock")).server().socketFile()).isEqualTo(cwd.resolve("p.sock"));
            assertThat(base.withAllowedDirs(List.of(Path.of("."))).server().allowedDirs()).containsExactly(cwd);
        }

        @Test
        void overridesAreValidated() {
            assertThatThrownBy(() -> base.withAllowedDirs(List.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("no allowed directory: Peekaboo could not read any file; give at least one");
            assertThatThrownBy(() -> base.withSocketFile(Path.of("/" + "s".repeat(120))))
                    .hasMessageContaining("a Unix socket path may have at most 107");
        }
    }

    @Nested
    class RecordsValidateThemselves {
        @Test
        void analysisRanges() {
            assertThatThrownBy(() -> new AnalysisSettings(0))
                    .hasMessage("worker count 0 is out of range (allowed: 1 to 256)");
        }

        @Test
        void serverRanges() {
            assertThatThrownBy(() -> ServerSettings.builder().socketFile(Path.of("relative.sock")).build())
                    .hasMessage("socket file relative.sock must be an absolute path");
            assertThatThrownBy(() -> ServerSettings.builder().socketMode(010000).build())
                    .hasMessage("socket mode 4096 is out of range (allowed: 0 to 4095)");
            assertThatThrownBy(() -> ServerSettings.builder().allowedDirs(List.of(Path.of("tmp"))).build())
                    .hasMessage("allowed directory tmp must be an absolute path");
            assertThatThrownBy(() -> ServerSettings.builder().keepAliveInterval(Duration.ZERO).build())
                    .hasMessage("keepalive interval 0ms is out of range (allowed: 1s to 10m)");
            assertThatThrownBy(() -> ServerSettings.builder().requestDeadline(Duration.ofHours(2)).build())
                    .hasMessage("request deadline 2h is out of range (allowed: 1s to 1h)");
            assertThatThrownBy(() -> ServerSettings.builder().maxLineLength(100).build())
                    .hasMessage("max line length 100 is out of range (allowed: 1024 to 67108864)");
            assertThatThrownBy(() -> ServerSettings.builder().maxReplySize(1000).build())
                    .hasMessage("max reply size 1000 is out of range (allowed: 16384 to 67108864)");
            assertThatThrownBy(() -> ServerSettings.builder().shutdownGrace(Duration.ofMinutes(11)).build())
                    .hasMessage("shutdown grace 11m is out of range (allowed: 0ms to 10m)");
            assertThatThrownBy(() -> ServerSettings.builder().shutdownGrace(Duration.ofMillis(-1)).build())
                    .hasMessage("shutdown grace -1ms is out of range (allowed: 0ms to 10m)");
        }

        @Test
        void theBuilderStartsFromTheDefaultsAndFromGivenSettings() {
            assertThat(ServerSettings.builder().build()).isEqualTo(ServerSettings.defaults());
            ServerSettings changed = ServerSettings.builder().maxParts(5).socketGroup(Optional.of("amavis")).build();
            assertThat(changed.toBuilder().build()).isEqualTo(changed);
            assertThat(changed.maxParts()).isEqualTo(5);
            assertThat(changed.requestDeadline()).isEqualTo(ServerSettings.DEFAULT_REQUEST_DEADLINE);
        }

        @Test
        void storeNeedsAbsoluteDirAndJdbcUrl() {
            assertThatThrownBy(() -> new StoreSettings(Path.of("data"), Optional.empty()))
                    .hasMessage("data directory data must be an absolute path");
            assertThatThrownBy(() -> new StoreSettings(Path.of("/d"), Optional.of("sqlite:////var/lib/p.db")))
                    .hasMessageStartingWith("the database URL is no JDBC URL")
                    .hasMessageNotContaining("/var/lib/p.db");
        }

        @Test
        void loggingNormalizesPythonNames() {
            assertThat(new LoggingSettings("warning").level()).isEqualTo("WARN");
            assertThatThrownBy(() -> new LoggingSettings("LOUD")).hasMessageStartingWith("\"LOUD\" is not a log level");
        }

        @Test
        void listsAreImmutableCopies() {
            List<Path> dirs = new java.util.ArrayList<>(List.of(Path.of("/a")));
            ServerSettings settings = ServerSettings.defaults().withAllowedDirs(dirs);
            dirs.add(Path.of("/b"));

            assertThat(settings.allowedDirs()).containsExactly(Path.of("/a"));
            assertThatThrownBy(() -> settings.allowedDirs().add(Path.of("/c")))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
