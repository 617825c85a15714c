package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.LambdaRule.rule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.analysis.testing.InMemoryAnalysisStore;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.Undecided;

/**
 * An attacker who may write to an allowed directory swaps what one path names while clients ask
 * about it: a symbolic link to a file outside, the marker and clean content, a FIFO, a device,
 * a file that grows or is truncated and refilled. Each race runs for a bounded time with several
 * clients and then asserts: no answer about a file outside, no answer whose hash is not of the
 * bytes the rules saw, never {@code good} with the marker's hash (in answers or in the store), no
 * request wedged, and a clean request answered right afterwards.
 */
class SampleSwapRaceTest {
    private static final Duration SWAPPING = Duration.ofMillis(1500);
    private static final int CLIENTS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final long ANSWER_SECONDS = 30;
    private static final int CONTENT_SIZE = 256 * 1024;

    @TempDir
    Path allowed;

    @TempDir
    Path outside;

    private final InMemoryAnalysisStore store = new InMemoryAnalysisStore();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger rulesRan = new AtomicInteger();
    private byte[] clean;
    private byte[] marked;
    private byte[] secret;
    private AnalysisEngine engine;
    private Path target;

    @BeforeEach
    void setUp() throws IOException {
        clean = filled('c', CONTENT_SIZE, null);
        marked = filled('m', CONTENT_SIZE, ContainsPeekabooYarRule.MARKER);
        secret = filled('s', CONTENT_SIZE, null);
        Files.write(outside.resolve("secret"), secret);
        target = allowed.resolve("p001");
        // The witness rule compares the bytes the rules see with the hash the answer will carry.
        Ruleset ruleset = new Ruleset(List.of(new ContainsPeekabooYarRule(), rule("witness", context -> {
            rulesRan.incrementAndGet();
            Sample sample = context.sample();
            byte[] seen;
            try (InputStream in = sample.content().openStream()) {
                seen = in.readAllBytes();
            }
            if (!sha256(seen).equals(sample.sha256()) || seen.length != sample.size()) {
                problems.add("rules saw other bytes than the hash " + sample.sha256() + " names");
            }
            if (Arrays.equals(seen, secret)) {
                problems.add("rules saw the outside file");
            }
            return RuleResult.stop("witness", Result.GOOD, "nothing found");
        })), this::types);
        engine = new AnalysisEngine(ruleset, store, new FakeSampleLocks("this-instance"), TestContents.reader(),
                AllowedDirectories.of(List.of(allowed)), TestContents.expander(), new AnalysisSettings(3), ClusterSettings.defaults(),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void aSymlinkToAFileOutsideSwappedInIsNeverRead() throws Exception {
        Path secretFile = outside.resolve("secret");
        AtomicLong round = new AtomicLong();
        race(() -> {
            long n = round.incrementAndGet();
            Path link = Files.createSymbolicLink(allowed.resolve(".link-" + n), secretFile);
            Files.move(link, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            replaceWith(clean, n);
        }, clean);
    }

    @Test
    void contentSwappedBetweenMarkerAndCleanIsNeverGoodWithTheMarkersHash() throws Exception {
        AtomicLong round = new AtomicLong();
        race(() -> {
            long n = round.incrementAndGet();
            replaceWith(marked, n);
            replaceWith(clean, n);
        }, clean, marked);
    }

    @Test
    void contentRewrittenInPlaceIsJudgedByTheBytesReadOrNotAtAll() throws Exception {
        Files.write(target, clean);
        AtomicLong round = new AtomicLong();
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
            race(() -> {
                // Truncated, then refilled with the other content in pieces.
                byte[] next = round.incrementAndGet() % 2 == 0 ? clean : marked;
                channel.truncate(0);
                for (int offset = 0; offset < next.length; offset += 32 * 1024) {
                    channel.write(ByteBuffer.wrap(next, offset, Math.min(32 * 1024, next.length - offset)), offset);
                }
            }, null);
        }
    }

    @Test
    void aFifoSwappedInWedgesNoWorker() throws Exception {
        int fifos = 400;
        List<String> command = new ArrayList<>(List.of("mkfifo"));
        for (int i = 0; i < fifos; i++) {
            command.add(allowed.resolve(".fifo-" + i).toString());
        }
        assertThat(new ProcessBuilder(command).start().waitFor()).isZero();
        AtomicInteger round = new AtomicInteger();
        race(() -> {
            int n = round.getAndIncrement();
            if (n < fifos) {
                Files.move(allowed.resolve(".fifo-" + n), target, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            replaceWith(clean, n);
        }, clean);
    }

    @Test
    void aDeviceSwappedInIsNeverRead() throws Exception {
        AtomicLong round = new AtomicLong();
        race(() -> {
            long n = round.incrementAndGet();
            Path link = Files.createSymbolicLink(allowed.resolve(".zero-" + n), Path.of("/dev/zero"));
            Files.move(link, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            replaceWith(clean, n);
        }, clean);
    }

    @Test
    void aGrowingFileIsAFailureOrJudgedByTheBytesRead() throws Exception {
        byte[] chunk = filled('g', 8 * 1024, null);
        Files.write(target, chunk);
        AtomicInteger changed = new AtomicInteger();
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.APPEND)) {
            List<Outcome> outcomes = race(() -> {
                if (channel.size() > 2 * 1024 * 1024) {
                    channel.truncate(chunk.length);
                }
                channel.write(ByteBuffer.wrap(chunk));
            }, null);
            for (Outcome outcome : outcomes) {
                if (outcome.judged() != null && outcome.judged().sample() == null) {
                    changed.incrementAndGet();
                }
            }
        }
        // Appending while reading is caught: the file's size and times differ after the read.
        assertThat(changed).as("reads that saw the file change").hasPositiveValue();
    }

    /**
     * Clients ask about {@link #target} while {@code swap} runs in a loop for {@link #SWAPPING}, then
     * checks every answer. Judged samples must carry one of {@code legitimate} contents' hashes
     * (null: any, as long as the rules saw exactly the bytes hashed).
     */
    private List<Outcome> race(Swap swap, byte[]... legitimate) throws Exception {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.write(target, clean);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    outcomes.add(ask(target, "attachment.txt"));
                }
            }));
        }
        Thread swapper = Thread.ofPlatform().start(() -> {
            long end = System.nanoTime() + SWAPPING.toNanos();
            try {
                while (System.nanoTime() < end) {
                    swap.run();
                }
            } catch (IOException e) {
                problems.add("swapping failed: " + e);
            } finally {
                stop.set(true);
            }
        });
        swapper.join();
        for (Thread client : clients) {
            assertThat(client.join(Duration.ofSeconds(ANSWER_SECONDS))).as("client finished").isTrue();
        }

        List<String> hashes = legitimate == null ? null
                : Arrays.stream(legitimate).map(SampleSwapRaceTest::sha256).toList();
        String secretHash = sha256(secret);
        String markerHash = sha256(marked);
        for (Outcome outcome : outcomes) {
            if (outcome.rejection() != null) {
                assertThat(outcome.rejection()).isEqualTo("Path \"" + target + "\" " + AllowedDirectories.UNREADABLE);
                continue;
            }
            assertThat(outcome.judged()).as("answered").isNotNull();
            Sample sample = outcome.judged().sample();
            if (sample == null) {
                assertThat(outcome.judged().verdict().rule()).isEqualTo(Undecided.INPUT.rule());
                assertThat(outcome.judged().verdict().reason()).endsWith(AnalysisEngine.CHANGED);
                continue;
            }
            assertThat(sample.sha256()).isNotEqualTo(secretHash);
            if (hashes != null) {
                assertThat(hashes).contains(sample.sha256());
            }
            if (sample.sha256().equals(markerHash)) {
                assertThat(outcome.judged().verdict().result()).isEqualTo(Result.BAD);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(outcomes).isNotEmpty();
        assertThat(store.all()).noneMatch(stored -> stored.sha256().equals(secretHash))
                .noneMatch(stored -> stored.sha256().equals(markerHash) && stored.result() != Result.BAD);

        Path after = Files.write(allowed.resolve("after"), clean);
        JudgedSample right = ask(after, "after.txt").judged();
        assertThat(right.verdict().result()).isEqualTo(Result.GOOD);
        assertThat(right.sample().sha256()).isEqualTo(sha256(clean));
        return List.copyOf(outcomes);
    }

    private Outcome ask(Path file, String name) {
        try {
            List<JudgedSample> judged = engine.start(List.of(new SampleDeclaration(file.toString(), name, null, null)),
                    PATIENCE).done().get(ANSWER_SECONDS, TimeUnit.SECONDS);
            return new Outcome(judged.getFirst(), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RejectedRequestException rejected) {
                return new Outcome(null, rejected.getMessage());
            }
            problems.add("request failed: " + e.getCause());
        } catch (Exception e) {
            problems.add("no answer: " + e);
        }
        return new Outcome(null, null);
    }

    /** Puts a new file with {@code content} in place of the target, in one rename. */
    private void replaceWith(byte[] content, long round) throws IOException {
        Path next = Files.write(allowed.resolve(".next-" + round), content);
        Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private FileTypeReport types(Sample sample) {
        return new FileTypeReport("application/octet-stream", null, "data");
    }

    private static byte[] filled(char fill, int size, String middle) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) fill);
        if (middle != null) {
            byte[] inserted = middle.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(inserted, 0, bytes, size / 2, inserted.length);
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Swap {
        void run() throws IOException;
    }

    private record Outcome(JudgedSample judged, String rejection) {
    }
}
