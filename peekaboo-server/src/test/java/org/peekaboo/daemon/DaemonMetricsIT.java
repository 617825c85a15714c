package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.metrics.testing.Exposition;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/**
 * The daemon as it is wired, over its real Unix socket, with the built-in ruleset and the embedded
 * store: its one registry counts what its line protocol was sent; started without metrics it
 * judges the same and has none.
 */
class DaemonMetricsIT {
    @TempDir
    Path dir;

    @Test
    void theDaemonsRegistryCountsWhatItsLineProtocolWasSent() throws IOException {
        Path files = Files.createDirectories(dir.resolve("amavis-tmp"));
        Path socket = dir.resolve("run/peekaboo.sock");
        PeekabooConfig config = config(files, socket);
        List<Path> clean = List.of(
                Files.writeString(files.resolve("minutes.txt"), "Dear colleague, the minutes are attached.\n"),
                Files.writeString(files.resolve("agenda.txt"), "The agenda for Monday.\n"));
        Path marked = Files.writeString(files.resolve("marked.txt"), "Test mail.\n" + ContainsPeekabooYarRule.MARKER + "\n");

        try (Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config))) {
            assertThat(scan(socket, clean).verdict()).isEqualTo(Verdict.GOOD);
            assertThat(scan(socket, List.of(marked)).verdict()).isEqualTo(Verdict.BAD);
            assertThat(scan(socket, List.of(marked)).verdict()).as("known now").isEqualTo(Verdict.BAD);

            Exposition scraped = Exposition.parse(daemon.metrics().orElseThrow().scrape());
            assertThat(scraped.value("peekaboo_requests_total", "frontend", "line")).isEqualTo(3);
            assertThat(scraped.value("peekaboo_verdicts_total", "result", "ignored", "rule", "file_type_on_whitelist"))
                    .isEqualTo(2);
            assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "contains_peekabooyar"))
                    .isEqualTo(1);
            assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "known")).isEqualTo(1);
            assertThat(scraped.value("peekaboo_known_hits_total")).isEqualTo(1);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "read")).isEqualTo(4);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "rules")).isEqualTo(3);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "store")).isEqualTo(4);
            assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "type"))
                    .as("Tika ran for the whitelist rule at least").isGreaterThanOrEqualTo(2);
            assertThat(scraped.all("peekaboo_build_info")).singleElement()
                    .satisfies(info -> assertThat(info.labels()).containsEntry("version", Daemon.version()));
            assertThat(scraped.value("peekaboo_samples_in_flight")).isZero();
        }
    }

    @Test
    void withoutMetricsTheDaemonJudgesTheSameAndHasNone() throws IOException {
        Path files = Files.createDirectories(dir.resolve("amavis-tmp"));
        Path socket = dir.resolve("run/unmeasured.sock");
        PeekabooConfig config = config(files, socket);
        Path marked = Files.writeString(files.resolve("marked.txt"), "Test mail.\n" + ContainsPeekabooYarRule.MARKER + "\n");

        try (Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config), false)) {
            assertThat(scan(socket, List.of(marked)).verdict()).isEqualTo(Verdict.BAD);
            assertThat(daemon.metrics()).isEmpty();
        }
    }

    private PeekabooConfig config(Path files, Path socket) {
        ServerSettings server = ServerSettings.builder().socketFile(socket).allowedDirs(List.of(files))
                .requestDeadline(Duration.ofSeconds(60)).build();
        return new PeekabooConfig(null, new AnalysisSettings(2), server,
                new StoreSettings(dir.resolve("data"), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults());
    }

    private static ScanReply scan(Path socket, List<Path> paths) throws IOException {
        return LineProtocolClient.unix(socket, Duration.ofSeconds(120)).scan(paths.stream()
                .map(path -> new SampleDeclaration(path.toString(), path.getFileName().toString(), null, null))
                .toList());
    }
}
