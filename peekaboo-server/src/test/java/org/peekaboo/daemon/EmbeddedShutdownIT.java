package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.daemon.ClusterTesting.awaitCondition;
import static org.peekaboo.db.schema.Tables.ANALYSIS;
import static org.peekaboo.db.schema.Tables.SAMPLE_LOCK;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.cli.Main;
import org.peekaboo.config.CortexSettings.AnalyzerNames;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/**
 * {@code peekaboo serve} on the embedded database, sent SIGTERM while an analysis waits for a
 * Cortex job: within the shutdown grace the analysis finishes, its result is stored and its
 * request answered, and only then is the database closed. H2's own shutdown hook used to close
 * it at once ("Database is already closed"), losing the result and leaving the row running.
 */
class EmbeddedShutdownIT {
    private static final Duration JOB_TIME = Duration.ofSeconds(4);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String RULESET = """
            [rules]
            rule.1: known
            rule.2: expressions
            rule.3: final_rule

            [expressions]
            expression.1: cortexreport.FileInfoReport.sha256sum == sample.sha256sum -> ignore
            """;

    @TempDir
    Path dir;

    @Test
    void sigtermMidAnalysisStoresItsResultBeforeTheDatabaseCloses() throws Exception {
        try (CortexEmulator cortex = CortexEmulator.start(Clock.systemUTC(), "")) {
            cortex.analyzer(AnalyzerNames.DEFAULT_FILE_INFO).takes(Duration.ZERO, JOB_TIME);
            Path files = Files.createDirectories(dir.resolve("amavis-tmp"));
            Path socket = dir.resolve("run/peekaboo.sock");
            Path data = dir.resolve("data");
            Path config = writeConfig(dir.resolve("etc"), cortex.url().getPort(), socket, files, data);
            byte[] content = ("slow to judge " + System.nanoTime() + "\n").getBytes(StandardCharsets.UTF_8);
            Path sample = Files.write(files.resolve("slow.txt"), content);
            Path logFile = dir.resolve("daemon.log");
            Process daemon = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            try {
                awaitCondition(() -> {
                    assertThat(daemon.isAlive()).as("daemon exited early:\n%s", read(logFile)).isTrue();
                    return read(logFile).contains("ready");
                }, "the daemon ready");
                CompletableFuture<ScanReply> reply = CompletableFuture.supplyAsync(() -> {
                    try {
                        return LineProtocolClient.unix(socket, PATIENCE).scan(
                                List.of(new SampleDeclaration(sample.toString(), "slow.txt", null, null)));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                awaitCondition(() -> !cortex.requests(r -> r.path().endsWith("/run")).isEmpty(), "the analysis waiting for its Cortex job");

                daemon.destroy();

                assertThat(daemon.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
                assertThat(reply.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).verdict())
                        .as("the request answered within the grace").isEqualTo(Verdict.GOOD);
            } finally {
                daemon.destroyForcibly();
            }
            String log = read(logFile);
            assertThat(log).as("daemon log").contains("Peekaboo stopped").doesNotContain("already closed")
                    .doesNotContain("ERROR");
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            try (Database database = Database.open(DatabaseSettings.embedded(data))) {
                assertThat(database.dsl().select(ANALYSIS.STATE, ANALYSIS.RESULT).from(ANALYSIS)
                        .where(ANALYSIS.SHA256.eq(sha256)).fetch().map(row -> row.value1().toLowerCase(Locale.ROOT) + " " + row.value2()))
                        .as("the analysis stored").containsExactly("finished ignored");
                assertThat(database.dsl().fetchCount(SAMPLE_LOCK)).as("lock rows left").isZero();
            }
        }
    }

    private static Path writeConfig(Path etc, int cortexPort, Path socket, Path files, Path data) throws IOException {
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("ruleset.conf"), RULESET);
        Files.writeString(etc.resolve("analyzers.conf"), """
                [cortex]
                url: http://127.0.0.1:%d
                api_token: %s
                poll_interval: 100ms
                maximum_job_age: 60s
                """.formatted(cortexPort, CortexEmulator.ANALYZE_KEY));
        // It holds the API key: a file others may read is refused.
        Files.setPosixFilePermissions(etc.resolve("analyzers.conf"), PosixFilePermissions.fromString("rw-r-----"));
        return Files.writeString(etc.resolve("peekaboo.conf"), """
                [global]
                data_dir: %s
                min_free_space: 0

                [server]
                socket_file: %s
                socket_mode: 0600
                allowed_dir.0: %s
                request_deadline: 60s
                shutdown_grace: 60s

                [ruleset]
                config: ruleset.conf

                [analyzers]
                config: analyzers.conf
                """.formatted(data, socket, files));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

}
