package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.daemon.ClusterTesting.awaitCondition;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.db.DataDirectory;
import org.peekaboo.db.DatabaseOutage;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;
import org.slf4j.LoggerFactory;

/**
 * The embedded database's data directory on an 8 MiB tmpfs, filled up under a steady trickle
 * of samples and freed again: while it is full samples are answered {@code unchecked} (never
 * {@code good} for the marker), the outage is logged once, and once space is back the same
 * daemon decides samples again by itself, logging that once. Mounting needs root; elsewhere
 * the test is skipped and says why, unless {@value #REQUIRED_PROPERTY} forbids skipping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedDiskFullIT {
    static final String REQUIRED_PROPERTY = "peekaboo.tests.requireTools";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    /** More than the whole tmpfs: the daemon must warn at start. */
    private static final long WARN_BELOW = 16L * 1024 * 1024;

    @TempDir
    static Path dir;

    private Path mount;
    private Path files;
    private Path socket;
    private Daemon daemon;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final AtomicInteger sampleNumbers = new AtomicInteger();
    private final String run = Long.toHexString(ThreadLocalRandom.current().nextLong());

    @BeforeAll
    void start() throws Exception {
        if (new UnixSystem().getUid() != 0) {
            String reason = "mounting a small tmpfs for the data directory needs root";
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new AssertionError(reason + ", and " + REQUIRED_PROPERTY + "=true forbids skipping");
            }
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        mount = Files.createDirectories(dir.resolve("tmpfs"));
        run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", mount.toString());
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        socket = dir.resolve("run/peekaboo.sock");
        ServerSettings server = ServerSettings.builder().socketFile(socket).socketMode(0600).allowedDirs(List.of(files))
                .keepAliveInterval(Duration.ofSeconds(1)).requestDeadline(Duration.ofSeconds(30)).build();
        StoreSettings store = new StoreSettings(mount.resolve("data"), Optional.empty()).withMinFreeSpace(WARN_BELOW);
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(3), server, store,
                new RulesetSettings(Optional.empty()), new LoggingSettings("INFO"),
                new ClusterSettings(Duration.ofMinutes(10), Duration.ofSeconds(20),
                        ClusterSettings.DEFAULT_POLL_INTERVAL));
        log.start();
        logger(DatabaseOutage.class).addAppender(log);
        logger(DataDirectory.class).addAppender(log);
        daemon = Daemon.start(config, Daemon.RulesetFactory.from(config));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            logger(DatabaseOutage.class).detachAppender(log);
            logger(DataDirectory.class).detachAppender(log);
            if (mount != null) {
                run("umount", "-l", mount.toString());
            }
        }
    }

    @Test
    void aFullDiskIsAnsweredUncheckedAndTheSameDaemonDecidesAgainOnceSpaceIsBack() throws Exception {
        assertThat(lines(DataDirectory.class)).as("warned at start").singleElement().asString()
                .startsWith("WARN ").contains("only", "free");
        assertThat(scan(newSample(false)).verdict()).as("before the disk is full").isEqualTo(Verdict.GOOD);

        Path filler = fill(mount.resolve("filler"));
        List<ScanReply> whileFull = new ArrayList<>();
        awaitCondition(() -> {
            whileFull.add(scanNew(whileFull.size() % 3 == 0));
            return !lines(DatabaseOutage.class).isEmpty();
        }, "the outage logged");
        for (int i = 0; i < 20; i++) {
            whileFull.add(scanNew(i % 3 == 0));
        }
        // The last ones came after the outage was known.
        assertThat(whileFull.subList(whileFull.size() - 20, whileFull.size())).allSatisfy(reply ->
                assertThat(reply.verdict()).as("%s", reply.files()).isEqualTo(Verdict.UNCHECKED));

        Files.delete(filler);
        awaitCondition(() -> scanNew(false).verdict() == Verdict.GOOD, "a new sample decided after space is back");
        assertThat(scan(newSample(true)).verdict()).as("the marker after the recovery").isEqualTo(Verdict.BAD);

        assertThat(lines(DatabaseOutage.class)).as("what the daemon logged about the database")
                .satisfiesExactly(
                        down -> assertThat(down).startsWith("WARN ").contains("unreachable"),
                        back -> assertThat(back).startsWith("INFO ").contains("reachable again"));
    }

    /** Never good for the marker: whatever the store did, a bad sample is bad or unchecked. */
    private ScanReply scanNew(boolean marker) {
        try {
            ScanReply reply = scan(newSample(marker));
            if (marker) {
                assertThat(reply.verdict()).as("the marker: %s", reply.files()).isIn(Verdict.BAD, Verdict.UNCHECKED);
            }
            return reply;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left");
            return file;
        }
    }

    private List<String> lines(Class<?> loggerOf) {
        return log.list.stream().filter(event -> event.getLoggerName().equals(loggerOf.getName()))
                .map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }

    private static Logger logger(Class<?> of) {
        return (Logger) LoggerFactory.getLogger(of);
    }

    private Path newSample(boolean marker) throws IOException {
        int number = sampleNumbers.incrementAndGet();
        String content = "Sample " + number + " of run " + run + ".\n" + (marker ? ContainsPeekabooYarRule.MARKER : "");
        return Files.writeString(files.resolve("sample-" + number + ".txt"), content, StandardCharsets.UTF_8);
    }

    private ScanReply scan(Path file) throws IOException {
        return LineProtocolClient.unix(socket, CLIENT_TIMEOUT).scan(List.of(new SampleDeclaration(file.toString(),
                file.getFileName().toString(), null, null)));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", List.of(command), output).isZero();
    }

}
