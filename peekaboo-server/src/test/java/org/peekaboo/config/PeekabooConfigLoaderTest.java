package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeekabooConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private LoadedConfig load(String text) throws IOException {
        return PeekabooConfigLoader.load(write("peekaboo.conf", text), Map.of());
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PeekabooConfigLoaderTest.class.getResource(name).toURI());
    }

    @Test
    void emptyFileGivesEveryDefault() throws IOException {
        LoadedConfig loaded = load("# nothing set\n");

        PeekabooConfig config = loaded.config();
        assertThat(config).isEqualTo(PeekabooConfig.defaults(dir.resolve("peekaboo.conf")));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(config.analysis()).isEqualTo(new AnalysisSettings(3));
        assertThat(config.server().socketFile()).isEqualTo(Path.of("/run/peekaboo/peekaboo.sock"));
        assertThat(config.server().socketMode()).isEqualTo(0660);
        assertThat(config.server().socketGroup()).isEmpty();
        assertThat(config.server().listen()).isEmpty();
        assertThat(config.server().allowedDirs()).containsExactly(Path.of("/var/lib/amavis/tmp"));
        assertThat(config.server().keepAliveInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.server().requestDeadline()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.server().maxLineLength()).isEqualTo(1024 * 1024);
        assertThat(config.server().maxParts()).isEqualTo(1000);
        assertThat(config.server().maxReplySize()).isEqualTo(90_000);
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.store()).isEqualTo(new StoreSettings(Path.of("/var/lib/peekaboo"), Optional.empty()));
        assertThat(config.ruleset().config()).isEmpty();
        assertThat(config.logging().level()).isEqualTo("INFO");
    }

    @Test
    void readsEveryKey() throws Exception {
        Path file = resource("every-key.conf");

        LoadedConfig loaded = PeekabooConfigLoader.load(file);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config()).isEqualTo(new PeekabooConfig(file,
                new AnalysisSettings(8),
                ServerSettings.builder()
                        .socketFile(Path.of("/srv/peekaboo/run/peekaboo.sock")).socketMode(0600)
                        .socketGroup(Optional.of("amavis")).listen(Optional.of(new HostPort("::1", 9100)))
                        .allowedDirs(List.of(Path.of("/var/lib/amavis/tmp"), Path.of("/var/spool/scan")))
                        .keepAliveInterval(Duration.ofSeconds(5)).requestDeadline(Duration.ofMinutes(2))
                        .idleTimeout(Duration.ofSeconds(45)).maxLineLength(4 * 1024 * 1024).maxParts(50)
                        .maxReplySize(200 * 1024).shutdownGrace(Duration.ofSeconds(30)).build(),
                new StoreSettings(Path.of("/srv/peekaboo/data"), Optional.of("jdbc:mariadb://db.example.org:3306/peekaboo")),
                new RulesetSettings(Optional.of(Path.of("/srv/peekaboo/ruleset.conf"))),
                new LoggingSettings("DEBUG"),
                new ClusterSettings(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMillis(500))));
    }

    @Nested
    class PeekabooAvCompatibility {
        @Test
        void peekabooAvFileLoadsWithAWarningPerUnusedOption() throws Exception {
            Path file = resource("peekabooav-2.0.conf");

            LoadedConfig loaded = PeekabooConfigLoader.load(file);

            PeekabooConfig config = loaded.config();
            assertThat(config.analysis().workerCount()).isEqualTo(5);
            assertThat(config.server().socketFile()).isEqualTo(Path.of("/var/run/peekaboo/peekaboo.sock"));
            assertThat(config.server().socketMode()).isEqualTo(0660);
            assertThat(config.server().socketGroup()).contains("amavis");
            assertThat(config.ruleset().config()).contains(Path.of("/opt/peekaboo/etc/ruleset.conf"));
            assertThat(config.ruleset().analyzers()).contains(Path.of("/opt/peekaboo/etc/analyzers.conf"));
            assertThat(config.logging().level()).isEqualTo("WARN");
            assertThat(loaded.warnings()).extracting(w -> w.section() + " " + w.key()).containsExactly(
                    "global user", "global group", "global host", "global port", "global pid_file",
                    "global interpreter", "global processing_info_dir", "global report_locale",
                    "logging log_format", "db log_level",
                    "cluster instance_id", "cluster stale_in_flight_threshold", "cluster duplicate_check_interval");
            assertThat(loaded.warnings().get(0))
                    .hasToString(file + ":3: [global] user: ignored: Peekaboo does not switch users;"
                            + " start it as the right user (systemd User=)");
            assertThat(loaded.warnings()).filteredOn(w -> w.section().equals("cluster"))
                    .extracting(ConfigWarning::message).containsExactly(
                            "ignored: every Peekaboo process generates its own unique instance id",
                            "ignored: locks expire with their lease, see [cluster] lease",
                            "ignored: samples locked elsewhere are checked every [cluster] poll_interval");
        }

        @Test
        void dropFileOptionsAreAcceptedWithWarning() throws IOException {
            LoadedConfig loaded = load("[global]\ndrop_dir_template: {config_path}.d\ndrop_file_glob: *.conf\n");

            assertThat(loaded.warnings()).extracting(ConfigWarning::key)
                    .containsExactly("drop_dir_template", "drop_file_glob");
        }

        @Test
        void serverSectionWinsOverGlobalSocketOptions() throws IOException {
            LoadedConfig loaded = load("""
                    [global]
                    socket_file: /run/old.sock
                    socket_mode: 0666
                    socket_group: old
                    [server]
                    socket_file: /run/new.sock
                    socket_mode: 0600
                    socket_group: new
                    """);

            ServerSettings server = loaded.config().server();
            assertThat(server.socketFile()).isEqualTo(Path.of("/run/new.sock"));
            assertThat(server.socketMode()).isEqualTo(0600);
            assertThat(server.socketGroup()).contains("new");
            Path file = dir.resolve("peekaboo.conf");
            assertThat(loaded.warnings()).extracting(ConfigWarning::toString).containsExactly(
                    file + ":2: [global] socket_file: overridden by [server] socket_file at " + file + ":6",
                    file + ":3: [global] socket_mode: overridden by [server] socket_mode at " + file + ":7",
                    file + ":4: [global] socket_group: overridden by [server] socket_group at " + file + ":8");
        }

        @Test
        void emptyServerSocketGroupClearsTheGlobalOne() throws IOException {
            LoadedConfig loaded = load("[global]\nsocket_group: old\n[server]\nsocket_group:\n");

            assertThat(loaded.config().server().socketGroup()).isEmpty();
        }
    }

    @Nested
    class UnknownOptions {
        @Test
        void unknownSectionNamesFileAndLine() throws IOException {
            assertThatThrownBy(() -> load("[global]\nworker_count: 2\n\n[cuckoo]\nurl: x\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(dir.resolve("peekaboo.conf") + ":4: Unknown section [cuckoo]; known sections:"
                            + " analysis, analyzers, clamd, cluster, db, expansion, global, http, logging, ruleset, server");
        }

        @Test
        void unknownKeyNamesFileLineAndKnownOptions() throws IOException {
            assertThatThrownBy(() -> load("[server]\nsocket_file: /run/p.sock\nmax_line: 2M\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(dir.resolve("peekaboo.conf") + ":3: [server] max_line: Unknown option; known options:"
                            + " allowed_client, allowed_dir, idle_timeout, keepalive_interval, listen,"
                            + " listen_beyond_loopback, max_connections, max_connections_per_client, max_line_length, max_parts,"
                            + " max_reply_size, request_deadline, shutdown_grace, socket_file, socket_group,"
                            + " socket_mode");
        }

        @Test
        void unknownKeyInGlobal() throws IOException {
            assertThatThrownBy(() -> load("[global]\nworkers: 2\n"))
                    .hasMessageStartingWith(dir.resolve("peekaboo.conf") + ":2: [global] workers: Unknown option;");
        }

        @Test
        void unknownKeyInDropFileNamesTheDropFile() throws IOException {
            write("peekaboo.conf", "[global]\n");
            Path drop = write("peekaboo.conf.d/50-local.conf", "[logging]\nlevel: DEBUG\n");

            assertThatThrownBy(() -> PeekabooConfigLoader.load(dir.resolve("peekaboo.conf")))
                    .hasMessageStartingWith(drop + ":2: [logging] level: Unknown option; known options: log_format, log_level");
        }
    }

    @Nested
    class DropFiles {
        @Test
        void dropFilesOverrideSettingsAndAdjustLists() throws IOException {
            Path main = write("peekaboo.conf", """
                    [global]
                    worker_count: 3
                    [server]
                    allowed_dir.0: /var/lib/amavis/tmp
                    """);
            write("peekaboo.conf.d/10-more.conf", "[server]\nallowed_dir.0: /srv/extra\n");
            write("peekaboo.conf.d/20-tuning.conf", "[global]\nworker_count: 12\n[logging]\nlog_level: DEBUG\n");

            PeekabooConfig config = PeekabooConfigLoader.load(main).config();

            assertThat(config.analysis().workerCount()).isEqualTo(12);
            assertThat(config.logging().level()).isEqualTo("DEBUG");
            assertThat(config.server().allowedDirs())
                    .containsExactly(Path.of("/var/lib/amavis/tmp"), Path.of("/srv/extra"));
        }

        @Test
        void dropFileMayReplaceTheAllowedDirectories() throws IOException {
            Path main = write("peekaboo.conf", "[server]\nallowed_dir.0: /var/lib/amavis/tmp\n");
            write("peekaboo.conf.d/10-replace.conf", "[server]\nallowed_dir.-: -\nallowed_dir.0: /srv/only\n");

            assertThat(PeekabooConfigLoader.load(main).config().server().allowedDirs())
                    .containsExactly(Path.of("/srv/only"));
        }

        @Test
        void resettingTheAllowedDirectoriesToNothingIsAnError() throws IOException {
            Path main = write("peekaboo.conf", "[server]\nallowed_dir.0: /var/lib/amavis/tmp\n");
            write("peekaboo.conf.d/10-replace.conf", "[server]\nallowed_dir.-: -\n");

            assertThatThrownBy(() -> PeekabooConfigLoader.load(main))
                    .hasMessage(main + ":2: [server] allowed_dir: the list is empty after its reset, so Peekaboo"
                            + " could not read any file; give at least one directory, e.g. allowed_dir.0: /var/lib/amavis/tmp");
        }
    }

    @Nested
    class Paths {
        @Test
        void relativeRulesetPathIsResolvedAgainstTheConfigDirectory() throws IOException {
            PeekabooConfig config = load("[ruleset]\nconfig: ruleset.conf\n").config();

            assertThat(config.ruleset().config()).contains(dir.resolve("ruleset.conf"));
        }

        @Test
        void relativeRulesetPathFromDropFileIsStillRelativeToTheMainFile() throws IOException {
            Path main = write("etc/peekaboo.conf", "[global]\n");
            write("etc/peekaboo.conf.d/10-ruleset.conf", "[ruleset]\nconfig: ../rules/./ruleset.conf\n");

            assertThat(PeekabooConfigLoader.load(main).config().ruleset().config())
                    .contains(dir.resolve("rules/ruleset.conf"));
        }

        @Test
        void absoluteRulesetPathStaysAndEmptyMeansBuiltIn() throws IOException {
            assertThat(load("[ruleset]\nconfig: /etc/peekaboo/ruleset.conf\n").config().ruleset().config())
                    .contains(Path.of("/etc/peekaboo/ruleset.conf"));
            assertThat(load("[ruleset]\nconfig:\n").config().ruleset().config()).isEmpty();
        }

        @Test
        void relativeDataDirAndSocketFileAreResolvedAgainstTheConfigDirectory() throws IOException {
            PeekabooConfig config = load("[global]\ndata_dir: data\n[server]\nsocket_file: run/p.sock\n").config();

            assertThat(config.store().dataDir()).isEqualTo(dir.resolve("data"));
            assertThat(config.server().socketFile()).isEqualTo(dir.resolve("run/p.sock"));
        }

        @Test
        void allowedDirMustBeAbsolute() throws IOException {
            assertThatThrownBy(() -> load("[server]\nallowed_dir.0: /ok\nallowed_dir.1: amavis/tmp\n"))
                    .hasMessage(dir.resolve("peekaboo.conf") + ":3: [server] allowed_dir.1: \"amavis/tmp\" is not an"
                            + " absolute path (allowed: an absolute directory path, because amavis names files by"
                            + " absolute path)");
        }

        @Test
        void allowedDirsAreNormalizedAndRootIsWarnedAbout() throws IOException {
            LoadedConfig loaded = load("[server]\nallowed_dir.0: /var/lib/amavis/tmp/../../../..\nallowed_dir.1: /srv//x/\n");

            assertThat(loaded.config().server().allowedDirs()).containsExactly(Path.of("/"), Path.of("/srv/x"));
            assertThat(loaded.warnings()).extracting(ConfigWarning::toString).containsExactly(dir.resolve("peekaboo.conf")
                    + ":2: [server] allowed_dir.0: allows every file on this system to be read by any client of Peekaboo");
        }

        @Test
        void socketPathTooLongForUnixSockets() throws IOException {
            String longPath = "/run/" + "x".repeat(110) + ".sock";

            assertThatThrownBy(() -> load("[server]\nsocket_file: " + longPath + "\n"))
                    .hasMessage(dir.resolve("peekaboo.conf") + ":2: [server] socket_file: socket path " + longPath
                            + " is 120 bytes long; a Unix socket path may have at most 107");
        }
    }

    @Nested
    class Values {
        @Test
        void listenForms() throws IOException {
            assertThat(load("[server]\nlisten: 8100\n").config().server().listen())
                    .contains(new HostPort("127.0.0.1", 8100));
            assertThat(load("[server]\nlisten: 0.0.0.0:8100\nlisten_beyond_loopback: yes\nallowed_client.0: 192.0.2.0/24\n")
                    .config().server().listen()).contains(new HostPort("0.0.0.0", 8100));
            assertThat(load("[server]\nlisten:\n").config().server().listen()).isEmpty();
        }

        @Test
        void badListenNamesLocation() throws IOException {
            assertThatThrownBy(() -> load("[server]\nlisten: localhost:http\n"))
                    .hasMessage(dir.resolve("peekaboo.conf") + ":2: [server] listen: \"localhost:http\" is not a listen"
                            + " address (allowed: host:port, [ipv6]:port or a port alone for 127.0.0.1:port; port 1 to 65535)");
        }

        @Test
        void clusterTimesAreCheckedAgainstEachOther() throws IOException {
            Path file = dir.resolve("peekaboo.conf");
            assertThat(load("[cluster]\nlease: 10s\nrenew_interval: 3s\npoll_interval: 100ms\n").config().cluster())
                    .isEqualTo(new ClusterSettings(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofMillis(100)));
            assertThatThrownBy(() -> load("[cluster]\nlease: 10s\nrenew_interval: 10s\n"))
                    .hasMessage(file + ":3: [cluster] renew_interval: renew interval 10s must be shorter than the"
                            + " lease 10s, or the lock expires before it is renewed");
            assertThatThrownBy(() -> load("[cluster]\nlease: 15s\n"))
                    .hasMessageStartingWith(file + ":2: [cluster] lease: renew interval 20s must be shorter");
            assertThatThrownBy(() -> load("[cluster]\nlease: 4s\n"))
                    .hasMessage(file + ":2: [cluster] lease: \"4s\" is out of range (allowed: 5s to 1h)");
            assertThatThrownBy(() -> load("[cluster]\npoll_interval: 50ms\n"))
                    .hasMessage(file + ":2: [cluster] poll_interval: \"50ms\" is out of range (allowed: 100ms to 1m)");
        }

        @Test
        void retentionIsReadAndItsAgesAreCheckedAgainstEachOther() throws IOException {
            Path file = dir.resolve("peekaboo.conf");
            assertThat(load("[db]\nresult_max_age: 2h\npurge_after: 7d\npurge_interval: 5m\npurge_batch: 50\n")
                    .config().store().retention())
                    .isEqualTo(new RetentionSettings(Duration.ofHours(2), Duration.ofDays(7), Duration.ofMinutes(5), 50));
            assertThat(load("[db]\n").config().store().retention()).isEqualTo(RetentionSettings.defaults());
            assertThatThrownBy(() -> load("[db]\nresult_max_age: 10d\npurge_after: 9d\n"))
                    .hasMessage(file + ":3: [db] purge_after: purge_after 9d must not be shorter than result_max_age"
                            + " 10d, or results are deleted while they may still be reused");
            assertThatThrownBy(() -> load("[db]\nresult_max_age: 100d\n"))
                    .hasMessageStartingWith(file + ":2: [db] result_max_age: purge_after 90d must not be shorter");
            assertThatThrownBy(() -> load("[db]\nresult_max_age: 59m\n"))
                    .hasMessage(file + ":2: [db] result_max_age: \"59m\" is out of range (allowed: 1h to 3650d)");
            assertThatThrownBy(() -> load("[db]\npurge_interval: 2d\n"))
                    .hasMessage(file + ":2: [db] purge_interval: \"2d\" is out of range (allowed: 1m to 1d)");
            assertThatThrownBy(() -> load("[db]\npurge_batch: 9\n"))
                    .hasMessage(file + ":2: [db] purge_batch: \"9\" is out of range (allowed: a whole number from 10"
                            + " to 100000)");
        }

        @Test
        void theQueueSizeOfEarlierVersionsIsAcceptedWithAWarning() throws IOException {
            LoadedConfig loaded = load("[global]\nqueue_size: 1000001\n");

            assertThat(loaded.warnings()).extracting(ConfigWarning::toString).containsExactly(dir.resolve("peekaboo.conf")
                    + ":2: [global] queue_size: ignored: samples are refused by time, not by count: only when they"
                    + " could not be judged before their client stops waiting ([server] request_deadline)");
        }

        @Test
        void theSampleSizeLimitIsReadFromTheAnalysisSection() throws IOException {
            assertThat(load("[global]\nworker_count: 2\n").config().analysis().maxSampleSize())
                    .isEqualTo(AnalysisSettings.DEFAULT_MAX_SAMPLE_SIZE);
            assertThat(load("[analysis]\nmax_sample_size: 25 MiB\n").config().analysis().maxSampleSize())
                    .isEqualTo(25L * 1024 * 1024);
            assertThatThrownBy(() -> load("[analysis]\nmax_sample_size: 100\n"))
                    .hasMessageContaining("[analysis] max_sample_size: \"100\" (100 bytes) is out of range (allowed: 1K to 64G");
        }

        @Test
        void rangeErrorsNameKeyValueAndRange() throws IOException {
            Path file = dir.resolve("peekaboo.conf");
            assertThatThrownBy(() -> load("[global]\nworker_count: 0\n"))
                    .hasMessage(file + ":2: [global] worker_count: \"0\" is out of range (allowed: a whole number from 1 to 256)");
            assertThatThrownBy(() -> load("[server]\nkeepalive_interval: 11m\n"))
                    .hasMessage(file + ":2: [server] keepalive_interval: \"11m\" is out of range (allowed: 1s to 10m)");
            assertThatThrownBy(() -> load("[server]\nrequest_deadline: 500ms\n"))
                    .hasMessage(file + ":2: [server] request_deadline: \"500ms\" is out of range (allowed: 1s to 1h)");
            assertThatThrownBy(() -> load("[server]\nidle_timeout: 2h\n"))
                    .hasMessage(file + ":2: [server] idle_timeout: \"2h\" is out of range (allowed: 1s to 1h)");
            assertThatThrownBy(() -> load("[server]\nmax_line_length: 65M\n"))
                    .hasMessage(file + ":2: [server] max_line_length: \"65M\" (68157440 bytes) is out of range"
                            + " (allowed: 1K to 64M bytes)");
            assertThatThrownBy(() -> load("[server]\nmax_parts: 100001\n"))
                    .hasMessage(file + ":2: [server] max_parts: \"100001\" is out of range (allowed: a whole number"
                            + " from 1 to 100000)");
            assertThatThrownBy(() -> load("[server]\nmax_reply_size: 15K\n"))
                    .hasMessage(file + ":2: [server] max_reply_size: \"15K\" (15360 bytes) is out of range"
                            + " (allowed: 16K to 64M bytes)");
            assertThatThrownBy(() -> load("[server]\nmax_reply_size: 65M\n"))
                    .hasMessage(file + ":2: [server] max_reply_size: \"65M\" (68157440 bytes) is out of range"
                            + " (allowed: 16K to 64M bytes)");
            assertThatThrownBy(() -> load("[server]\nshutdown_grace: 11m\n"))
                    .hasMessage(file + ":2: [server] shutdown_grace: \"11m\" is out of range (allowed: 0ms to 10m)");
            assertThatThrownBy(() -> load("[server]\nshutdown_grace: -1s\n"))
                    .hasMessageStartingWith(file + ":2: [server] shutdown_grace: \"-1s\" is not a duration");
            assertThatThrownBy(() -> load("[server]\nsocket_mode: rw-rw----\n"))
                    .hasMessageStartingWith(file + ":2: [server] socket_mode: \"rw-rw----\" is not an octal number");
        }

        @Test
        void plainNumbersAreSecondsAndBytes() throws IOException {
            ServerSettings server = load("[server]\nrequest_deadline: 90\nmax_line_length: 2048\nmax_reply_size: 100000\n")
                    .config().server();

            assertThat(server.requestDeadline()).isEqualTo(Duration.ofSeconds(90));
            assertThat(server.maxLineLength()).isEqualTo(2048);
            assertThat(server.maxReplySize()).isEqualTo(100_000);
        }

        @Test
        void shutdownGraceMayBeZero() throws IOException {
            // Zero abandons running analyses at once; their requests are still answered unchecked.
            assertThat(load("[server]\nshutdown_grace: 0\n").config().server().shutdownGrace())
                    .isEqualTo(Duration.ZERO);
            assertThat(load("[server]\nshutdown_grace: 10m\n").config().server().shutdownGrace())
                    .isEqualTo(Duration.ofMinutes(10));
        }

        @Test
        void logLevels() throws IOException {
            assertThat(load("[logging]\nlog_level: WARNING\n").config().logging().level()).isEqualTo("WARN");
            assertThat(load("[logging]\nlog_level: critical\n").config().logging().level()).isEqualTo("ERROR");
            assertThat(load("[logging]\nlog_level: trace\n").config().logging().level()).isEqualTo("TRACE");
            assertThatThrownBy(() -> load("[logging]\nlog_level: VERBOSE\n"))
                    .hasMessage(dir.resolve("peekaboo.conf") + ":2: [logging] log_level: \"VERBOSE\" is not a log level"
                            + " (allowed: ERROR, WARN, WARNING, INFO, DEBUG, TRACE, CRITICAL (= ERROR))");
        }

        @Test
        void databaseUrlMustBeJdbcOrMariaDb() throws IOException {
            assertThat(load("[db]\nurl: jdbc:h2:file:/tmp/x\n").config().store().url()).contains("jdbc:h2:file:/tmp/x");
            assertThat(load("[db]\nurl:\n").config().store().url()).isEmpty();
            assertThatThrownBy(() -> load("[db]\nurl: sqlite:////var/lib/peekaboo/peekaboo.db\n"))
                    .hasMessageStartingWith(dir.resolve("peekaboo.conf") + ":2: [db] url:"
                            + " database URLs of scheme sqlite:// are not supported");
        }

        @Test
        void listGivenAsSingleValueIsAnError() throws IOException {
            assertThatThrownBy(() -> load("[server]\nallowed_dir: /var/lib/amavis/tmp\n"))
                    .hasMessageStartingWith(dir.resolve("peekaboo.conf")
                            + ":2: [server] allowed_dir: is supposed to be a list but given as individual setting");
        }
    }

    @Test
    void missingFileIsAnError() {
        Path missing = dir.resolve("missing.conf");

        assertThatThrownBy(() -> PeekabooConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Configuration file " + missing + " does not exist");
    }
}
