package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.Verdict;

/**
 * The daemon over real sockets, Unix and TCP, with the built-in ruleset and the embedded
 * store: what amavis would see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonIT {
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;
    // Generous, so that a loaded CI machine does not turn ordinary requests into unchecked
    // ones; the deadline case has a daemon of its own with a short deadline.
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration SHORT_DEADLINE = Duration.ofSeconds(3);
    private static final Duration SLOW_RULE = Duration.ofSeconds(6);
    private static final int MAX_PARTS = 600;
    private static final int MAX_LINE = 256 * 1024;

    enum Transport { UNIX, TCP }

    @TempDir
    static Path dir;

    private Path files;
    private Path socket;
    private Daemon daemon;
    private Path slowSocket;
    private Daemon slowDaemon;

    @BeforeAll
    void start() throws IOException {
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        socket = dir.resolve("run/peekaboo.sock");
        daemon = Daemon.start(config(socket, "data", DEADLINE), Daemon.RulesetFactory.from(
                config(socket, "data", DEADLINE)));
        slowSocket = dir.resolve("run/slow.sock");
        slowDaemon = Daemon.start(config(slowSocket, "slow-data", SHORT_DEADLINE), (known, detector, reports) -> {
            LoadedRuleset builtIn = new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn();
            List<Rule> rules = new ArrayList<>(builtIn.ruleset().rules());
            rules.add(1, new SlowRule());
            return new LoadedRuleset(new Ruleset(rules, detector), builtIn.warnings());
        });
    }

    private PeekabooConfig config(Path socketFile, String dataDir, Duration deadline) throws IOException {
        ServerSettings server = ServerSettings.builder().socketFile(socketFile)
                .listen(Optional.of(new HostPort("127.0.0.1", freePort()))).allowedDirs(List.of(files))
                .keepAliveInterval(Duration.ofSeconds(1)).requestDeadline(deadline).idleTimeout(Duration.ofSeconds(2))
                .maxLineLength(MAX_LINE).maxParts(MAX_PARTS).build();
        return new PeekabooConfig(null, new AnalysisSettings(3), server,
                new StoreSettings(dir.resolve(dataDir), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults());
    }

    @AfterAll
    void stop() {
        for (Daemon running : new Daemon[] {daemon, slowDaemon}) {
            if (running != null) {
                running.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCleanTextFileIsGood(Transport transport) throws IOException {
        Path file = write("letter-" + transport + ".txt", "Dear colleague, the minutes are attached.\n");

        ScanReply reply = scan(transport, file);

        assertThat(reply.verdict()).isEqualTo(Verdict.GOOD);
        assertThat(reply.files()).singleElement().satisfies(verdict -> {
            assertThat(verdict.verdict()).isEqualTo(Verdict.GOOD);
            assertThat(verdict.result()).isEqualTo(Result.IGNORED);
            assertThat(verdict.rule()).isEqualTo("file_type_on_whitelist");
        });
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theMarkerIsBad(Transport transport) throws IOException {
        Path file = write("marker-" + transport + ".txt", "Test mail.\n" + MARKER + "\n");

        ScanReply reply = scan(transport, file);

        assertThat(reply.verdict()).isEqualTo(Verdict.BAD);
        assertThat(reply.files()).singleElement().satisfies(verdict -> {
            assertThat(verdict.result()).isEqualTo(Result.BAD);
            assertThat(verdict.rule()).isEqualTo("contains_peekabooyar");
        });
        assertThat(reply.lines()).anyMatch(line -> line.equals("The file collection has been categorized \"bad\""));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aGreylistedTypeIsGoodViaUnknown(Transport transport) throws IOException {
        Path zip = dir.resolve("files-" + transport);
        Path file = files.resolve("archive-" + transport + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry("readme-" + zip.getFileName() + ".txt"));
            out.write("harmless".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }

        ScanReply reply = scan(transport, file);

        assertThat(reply.verdict()).isEqualTo(Verdict.GOOD);
        assertThat(reply.files()).singleElement().satisfies(verdict -> {
            assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
            assertThat(verdict.rule()).isEqualTo("final_rule");
        });
        assertThat(reply.lines()).anyMatch(line -> line.contains("file_type_on_greylist"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMixedCollectionIsBad(Transport transport) throws IOException {
        Path clean = write("mixed-clean-" + transport + ".txt", "Nothing here.\n");
        Path marked = write("mixed-marked-" + transport + ".txt", MARKER);

        ScanReply reply = scan(transport, clean, marked);

        assertThat(reply.files()).extracting(ScanReply.FileVerdict::verdict).containsExactly(Verdict.GOOD, Verdict.BAD);
        assertThat(reply.verdict()).isEqualTo(Verdict.BAD);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSampleStillRunningAtTheDeadlineIsUncheckedAndItsRetryGetsTheStoredVerdict(Transport transport)
            throws Exception {
        Path file = write("slow-" + transport + ".txt", "slow sample\n" + MARKER + "\n");

        ScanReply first = scan(slowDaemon, slowSocket, transport, file);
        assertThat(first.verdict()).isEqualTo(Verdict.UNCHECKED);
        assertThat(first.files()).singleElement().satisfies(verdict -> assertThat(verdict.rule()).isEqualTo("deadline"));
        assertThat(first.lines()).contains("Files are being analyzed...");

        // A retry while the analysis still runs joins it; one after it finished reads the store.
        ScanReply retry = awaitDecided(transport, file);
        assertThat(retry.verdict()).isEqualTo(Verdict.BAD);
        ScanReply later = scan(slowDaemon, slowSocket, transport, file);
        assertThat(later.verdict()).isEqualTo(Verdict.BAD);
        assertThat(later.files()).singleElement().satisfies(verdict -> {
            assertThat(verdict.rule()).isEqualTo("known");
            assertThat(verdict.result()).isEqualTo(Result.BAD);
        });
    }

    @Test
    void aRulesetNeedingCortexBesideAnAnalyzersConfThatSetsNothingStopsTheStartNamingTheRule() throws IOException {
        Path rules = Files.writeString(dir.resolve("sandbox-ruleset.conf"), "[rules]\nrule.1 : cuckoo_score\n");
        Path analyzers = Files.writeString(dir.resolve("unset-analyzers.conf"), "[cortex]\n#api_token : <empty>\n");
        PeekabooConfig base = config(dir.resolve("run/refused.sock"), "refused-data", DEADLINE);
        PeekabooConfig config = new PeekabooConfig(null, base.analysis(), base.server(), base.store(),
                new RulesetSettings(Optional.of(rules), Optional.of(analyzers)), base.logging(), base.cluster());

        assertThatThrownBy(() -> Daemon.start(config, Daemon.RulesetFactory.from(config), false, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(rules + ":2: [rules] rule.1: Rule cuckoo_score needs a sandbox reached through Cortex,"
                        + " which is not available: [cortex] in " + analyzers + " sets nothing; set api_token,"
                        + " api_token_file or the environment variable PEEKABOO_CORTEX_API_TOKEN to the key of a"
                        + " Cortex user with the roles read and analyze");
    }

    @Test
    void fiveHundredPartsInOneRequest() throws IOException {
        List<Path> parts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            parts.add(write("part-" + i + ".txt", "part number " + i + "\n"));
        }
        parts.set(250, write("part-250.txt", "part with " + MARKER));

        ScanReply reply = scan(Transport.UNIX, parts.toArray(Path[]::new));

        // The full report would exceed max_reply_size, so the good files are only counted.
        assertThat(reply.files()).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo("part-250.txt");
            assertThat(file.verdict()).isEqualTo(Verdict.BAD);
        });
        assertThat(reply.lines()).contains(
                "499 files judged good; their details are left out to keep the answer under 90000 bytes");
        assertThat(reply.lines().stream().mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1).sum())
                .isLessThanOrEqualTo(ServerSettings.DEFAULT_MAX_REPLY_SIZE);
        assertThat(reply.verdict()).isEqualTo(Verdict.BAD);
    }

    @Test
    void fiftyConcurrentConnections() throws Exception {
        List<Path> parts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            parts.add(write("concurrent-" + i + ".txt", i % 10 == 0 ? MARKER : "concurrent " + i + "\n"));
        }
        List<ScanReply> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            List<Future<ScanReply>> futures = IntStream.range(0, 50)
                    .mapToObj(i -> pool.submit(() -> scan(i % 2 == 0 ? Transport.UNIX : Transport.TCP, parts.get(i))))
                    .toList();
            for (Future<ScanReply> future : futures) {
                replies.add(future.get(120, TimeUnit.SECONDS));
            }
        }
        for (int i = 0; i < 50; i++) {
            assertThat(replies.get(i).verdict()).as("connection %d", i).isEqualTo(i % 10 == 0 ? Verdict.BAD : Verdict.GOOD);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pingIsAnswered(Transport transport) throws IOException {
        assertThat(client(transport).ping()).isTrue();
        assertThat(raw(transport).exchange("[{\"request\": \"ping\"}]\n"))
                .contains("{\"request\": \"ping\", \"response\": \"pong\"}");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyBadInputGetsAnErrorAndUncheckedAndTheServerGoesOn(Transport transport) throws Exception {
        Path inside = write("fine-" + transport + ".txt", "fine\n");
        Path subdirectory = Files.createDirectories(files.resolve("subdir-" + transport));
        Path outside = Files.writeString(dir.resolve("outside-" + transport + ".txt"), "outside\n");
        Path link = Files.createSymbolicLink(files.resolve("link-" + transport), outside);
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(MAX_PARTS + 1,
                json(inside))) + "]\n";
        ByteArrayOutputStream invalidUtf8 = new ByteArrayOutputStream();
        invalidUtf8.writeBytes("[{\"full_name\": \"".getBytes(StandardCharsets.US_ASCII));
        invalidUtf8.writeBytes(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff});
        invalidUtf8.writeBytes("\"}]\n".getBytes(StandardCharsets.US_ASCII));

        List<byte[]> badRequests = List.of(
                bytes("this is not json\n"),
                bytes("{\"full_name\": \"" + inside + "\"}\n"),
                bytes("[]\n"),
                bytes("[{\"name_declared\": \"x.doc\"}]\n"),
                bytes("[{\"full_name\": \"relative/p001\"}]\n"),
                bytes("[" + json(files.resolve("does-not-exist")) + "]\n"),
                bytes("[" + json(subdirectory) + "]\n"),
                bytes("[" + json(outside) + "]\n"),
                bytes("[" + json(link) + "]\n"),
                bytes("[{\"full_name\": \"" + inside + "\", \"request\": \"format-disk\"}]\n"),
                bytes("[" + json(inside) + ", 42]\n"),
                bytes(tooMany),
                bytes("[\"" + "x".repeat(MAX_LINE + 10) + "\"]\n"),
                invalidUtf8.toByteArray(),
                bytes("\n"),
                new byte[0]);

        for (byte[] request : badRequests) {
            List<String> answer = raw(transport).exchange(request, Duration.ofSeconds(30));
            String shown = new String(request, 0, Math.min(request.length, 80), StandardCharsets.UTF_8);
            assertThat(answer).as("answer to %s", shown).anyMatch(line -> line.startsWith("ERROR: "));
            assertThat(answer).as("answer to %s", shown)
                    .contains("The file collection has been categorized \"unchecked\"")
                    .noneMatch(line -> line.contains("categorized \"good\"") || line.contains("categorized \"bad\""));

            assertThat(scan(transport, inside).verdict()).as("served after %s", shown).isEqualTo(Verdict.GOOD);
        }
    }

    private ScanReply awaitDecided(Transport transport, Path file) throws Exception {
        long deadline = System.nanoTime() + SLOW_RULE.multipliedBy(4).toNanos();
        while (true) {
            ScanReply reply = scan(slowDaemon, slowSocket, transport, file);
            if (reply.verdict() != Verdict.UNCHECKED || System.nanoTime() > deadline) {
                return reply;
            }
            Thread.sleep(500);
        }
    }

    private ScanReply scan(Transport transport, Path... paths) throws IOException {
        return scan(daemon, socket, transport, paths);
    }

    private ScanReply scan(Daemon target, Path targetSocket, Transport transport, Path... paths) throws IOException {
        return client(target, targetSocket, transport).scan(List.of(paths).stream()
                .map(path -> new SampleDeclaration(path.toString(), path.getFileName().toString(), null, null))
                .toList());
    }

    private LineProtocolClient client(Transport transport) {
        return client(daemon, socket, transport);
    }

    private static LineProtocolClient client(Daemon target, Path targetSocket, Transport transport) {
        return switch (transport) {
            case UNIX -> LineProtocolClient.unix(targetSocket, Duration.ofSeconds(120));
            case TCP -> LineProtocolClient.tcp("127.0.0.1", target.tcpPort().orElseThrow(), Duration.ofSeconds(120));
        };
    }

    private RawClient raw(Transport transport) {
        return switch (transport) {
            case UNIX -> RawClient.unix(socket);
            case TCP -> RawClient.tcp(new InetSocketAddress("127.0.0.1", daemon.tcpPort().orElseThrow()));
        };
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(files.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** The configuration does not accept port 0, so ask the kernel for a free port first. */
    private static int freePort() throws IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String json(Path path) {
        return "{\"full_name\": \"" + path + "\"}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Holds samples whose declared name starts with "slow-" past the request deadline. */
    private static final class SlowRule implements Rule {
        @Override
        public String name() {
            return "slow_for_tests";
        }

        @Override
        public RuleResult evaluate(SampleContext context) throws InterruptedException {
            String name = context.sample().nameDeclared();
            if (name != null && name.startsWith("slow-")) {
                Thread.sleep(SLOW_RULE.toMillis());
            }
            return RuleResult.proceed(name(), Result.UNKNOWN, "Test rule has waited");
        }
    }
}
