package org.peekaboo.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.daemon.Daemon;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.ruleset.RulesetLoader;

/**
 * The postmaster's page in a real browser: Debian's chromium, driven by playwright-core from npm
 * (both installed by scripts/test), against a daemon that has judged a clean and a bad upload.
 * The browser reads the overview, types the bad file's SHA-256 into the look-up form and reads
 * the analysis it leads to, as a person would; screenshots stay in target/postmaster-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostmasterBrowserIT {
    static final Path PLAYWRIGHT_CORE = Path.of("/opt/peekaboo-tests/playwright/node_modules/playwright-core/index.mjs");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private Daemon daemon;
    private int port;
    private String badSha256;

    @BeforeAll
    void start() throws Exception {
        port = freePort();
        ServerSettings server = ServerSettings.builder().socketFile(dir.resolve("peekaboo.sock")).socketMode(0600)
                .allowedDirs(List.of(dir)).build();
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(2), server,
                new StoreSettings(dir.resolve("data"), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults())
                .withHttp(HttpSettings.off().withListen(new HostPort("127.0.0.1", port)));
        daemon = Daemon.start(config, (known, detector, reports) ->
                new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn());
        byte[] bad = ("Amount due.\n" + ContainsPeekabooYarRule.MARKER + "\n").getBytes(StandardCharsets.US_ASCII);
        badSha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bad));
        assertThat(judge("hello.txt", "Just a text file.\n".getBytes(StandardCharsets.US_ASCII)))
                .isNotEqualTo("bad");
        assertThat(judge("invoice.txt", bad)).isEqualTo("bad");
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aPersonSeesTheVerdictsAndLooksTheBadFileUp() throws Exception {
        Path shots = Files.createDirectories(Path.of("target", "postmaster-screenshots"));

        JsonNode seen = browse(shots);

        JsonNode overview = seen.get("overview");
        assertThat(overview.get("status").asInt()).isEqualTo(200);
        assertThat(overview.get("heading").asText()).isEqualTo("Peekaboo");
        assertThat(texts(overview.get("latest")))
                .anySatisfy(row -> assertThat(row).contains("invoice.txt").contains("bad").contains("contains_peekabooyar"))
                .anySatisfy(row -> assertThat(row).contains("hello.txt").doesNotContain(" bad "));
        assertThat(texts(overview.get("counts"))).anySatisfy(row -> assertThat(row).isEqualTo("bad 1 1"))
                .anySatisfy(row -> assertThat(row).isEqualTo("contains_peekabooyar 1 1"));

        JsonNode lookup = seen.get("lookup");
        assertThat(lookup.get("url").asText()).endsWith("/postmaster/lookup?q=" + badSha256);
        assertThat(lookup.get("heading").asText()).isEqualTo("Analyses of " + badSha256);
        assertThat(texts(lookup.get("jobs"))).singleElement().satisfies(job -> assertThat(job).endsWith(": bad"));
        assertThat(texts(lookup.get("report"))).contains("Rule Result Reason")
                .anySatisfy(row -> assertThat(row).startsWith("contains_peekabooyar bad"));
        assertThat(texts(seen.get("elsewhere"))).as("requests beyond the daemon").isEmpty();
        assertThat(shots.resolve("postmaster-overview.png")).isNotEmptyFile();
        assertThat(shots.resolve("postmaster-lookup.png")).isNotEmptyFile();
    }

    /** Uploads through the REST API as curl and waits for the report's result. */
    private String judge(String name, byte[] content) throws Exception {
        Path file = Files.write(dir.resolve(name), content);
        JsonNode job = JSON.readTree(run(List.of("curl", "-sS", "--max-time", "60", "-F",
                "file=@" + file + ";filename=" + name, "http://127.0.0.1:" + port + "/v1/scan")));
        long jobId = job.get("job_id").asLong();
        for (int attempt = 0; attempt < 240; attempt++) {
            String report = run(List.of("curl", "-sS", "--max-time", "60", "-w", "\n%{http_code}",
                    "http://127.0.0.1:" + port + "/v1/report/" + jobId));
            if (report.endsWith("\n200")) {
                return JSON.readTree(report.substring(0, report.lastIndexOf('\n'))).get("result").asText();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + jobId + " for " + name + " did not finish within a minute");
    }

    private JsonNode browse(Path shots) throws Exception {
        Path script = Path.of("src", "test", "browser", "postmaster.mjs").toAbsolutePath();
        ProcessBuilder node = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + port, badSha256,
                shots.toAbsolutePath().toString());
        node.environment().put("PLAYWRIGHT_CORE", PLAYWRIGHT_CORE.toString());
        Path log = dir.resolve("browser.log");
        Process process = node.redirectError(log.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the browser finished").isTrue();
        assertThat(process.exitValue()).as("node %s:%n%s%s", script, out, Files.readString(log)).isZero();
        return JSON.readTree(out);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s", command).isZero();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
