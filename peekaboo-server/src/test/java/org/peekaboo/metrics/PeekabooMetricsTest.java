package org.peekaboo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.analysis.testing.LambdaRule.rule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.AnalysisEngine;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.testing.Await;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.analysis.testing.InMemoryAnalysisStore;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.metrics.testing.Exposition;
import org.peekaboo.ruleset.KnownRule;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.Undecided;

/**
 * Known workloads through a real engine (Tika, the known rule, an in-memory store) whose events
 * feed the metrics; what a scraper would read is parsed from the exposition text and must equal
 * what was sent.
 */
class PeekabooMetricsTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    /** Type detection then happens in the rules only, so each detection counted is one a rule asked for. */
    private static final ExpansionSettings NOT_OPENED = new ExpansionSettings(false, 8, 1000, 1L << 30, 100, 1L << 20,
            Duration.ofSeconds(30), List.of(), false, 0, Result.BAD, Result.IGNORED, Result.BAD, Result.IGNORED);

    @TempDir
    Path dir;

    private final InMemoryAnalysisStore store = new InMemoryAnalysisStore();
    private final FakeSampleLocks locks = new FakeSampleLocks("this-instance");
    private final PeekabooMetrics metrics = new PeekabooMetrics("1.2.3-test");
    private final List<AnalysisEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(AnalysisEngine::close);
    }

    @Test
    void theCountersEqualTheWorkloadSent() throws Exception {
        AnalysisEngine engine = engine(byContent(), ClusterSettings.defaults());
        ScanService line = metrics.countingRequests(engine, FrontEnd.LINE_PROTOCOL);
        List<Path> good = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            good.add(file("good-" + i + ".txt", "a harmless letter " + i));
        }
        List<Path> bad = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bad.add(file("bad-" + i + ".txt", "bad content " + i));
        }

        // 5 good files in one request, 3 bad ones in a request each, then the bad ones again, known.
        assertThat(scan(line, good)).allSatisfy(judged -> assertThat(judged.verdict().result()).isEqualTo(Result.GOOD));
        for (Path file : bad) {
            assertThat(scan(line, List.of(file))).singleElement()
                    .satisfies(judged -> assertThat(judged.verdict().rule()).isEqualTo("by_content"));
        }
        assertThat(scan(line, bad)).allSatisfy(judged -> assertThat(judged.verdict().rule()).isEqualTo("known"));

        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "line")).isEqualTo(5);
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "clamd")).isZero();
        assertThat(scraped.value("peekaboo_requests_total", "frontend", "http")).isZero();
        assertThat(scraped.value("peekaboo_verdicts_total", "result", "good", "rule", "by_content")).isEqualTo(5);
        assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "by_content")).isEqualTo(3);
        assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "known")).isEqualTo(3);
        assertThat(scraped.sum("peekaboo_verdicts_total")).isEqualTo(11);
        assertThat(scraped.value("peekaboo_known_hits_total")).isEqualTo(3);
        assertThat(scraped.value("peekaboo_duplicate_hits_total")).isZero();
        // Every file is read; the ruleset (and the type detection its rule asks for) runs for the
        // 8 new samples only; all 11 results are stored, the known answers too.
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "read")).isEqualTo(11);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "rules")).isEqualTo(8);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "type")).isEqualTo(8);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "store")).isEqualTo(11);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "cortex")).isZero();
        assertThat(scraped.value("peekaboo_stage_duration_seconds_bucket", "stage", "rules", "le", "+Inf"))
                .isEqualTo(8);
        assertThat(scraped.value("peekaboo_database_errors_total", "operation", "store")).isZero();
        assertThat(scraped.value("peekaboo_database_errors_total", "operation", "lock")).isZero();
        assertThat(scraped.value("peekaboo_lock_wait_seconds_count")).isZero();
        assertThat(scraped.value("peekaboo_lock_takeovers_total")).isZero();
        assertThat(scraped.value("peekaboo_queue_length")).isZero();
        assertThat(scraped.value("peekaboo_samples_in_flight")).isZero();
        assertThat(scraped.value("peekaboo_oldest_in_flight_seconds")).isZero();
        assertThat(scraped.all("peekaboo_build_info")).singleElement().satisfies(info -> {
            assertThat(info.labels()).containsEntry("version", "1.2.3-test").containsKey("java");
            assertThat(info.value()).isEqualTo(1);
        });
        assertThat(scraped.type("peekaboo_verdicts_total")).isEqualTo("counter");
        assertThat(scraped.type("peekaboo_stage_duration_seconds")).isEqualTo("histogram");
        assertThat(scraped.type("peekaboo_samples_in_flight")).isEqualTo("gauge");
    }

    @Test
    void identicalSamplesAtOnceAreOneJudgementAndTheRestDuplicateOrKnownHits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger executions = new AtomicInteger();
        Rule blocking = rule("blocking", context -> {
            executions.incrementAndGet();
            release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return RuleResult.stop("blocking", Result.BAD, "blocked");
        });
        AnalysisEngine engine = engine(new Ruleset(List.of(new KnownRule(store), blocking), new TikaFileTypeDetector()),
                ClusterSettings.defaults());
        Path file = file("same.doc", "identical content");
        List<CompletableFuture<List<JudgedSample>>> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outcomes.add(engine.start(List.of(declared(file)), PATIENCE).done());
        }
        await(() -> executions.get() == 1);

        Exposition during = Exposition.parse(metrics.scrape());
        assertThat(during.value("peekaboo_samples_in_flight")).isEqualTo(1);
        assertThat(during.value("peekaboo_oldest_in_flight_seconds")).isPositive();
        release.countDown();
        for (CompletableFuture<List<JudgedSample>> outcome : outcomes) {
            outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        Exposition after = Exposition.parse(metrics.scrape());
        assertThat(executions).hasValue(1);
        assertThat(after.value("peekaboo_verdicts_total", "result", "bad", "rule", "blocking"))
                .as("the judged sample and its duplicates").isEqualTo(5 - after.value("peekaboo_known_hits_total"));
        assertThat(after.value("peekaboo_known_hits_total") + after.value("peekaboo_duplicate_hits_total"))
                .as("every copy but the judged one").isEqualTo(4);
        assertThat(after.value("peekaboo_stage_duration_seconds_count", "stage", "rules")).isEqualTo(1);
        assertThat(after.value("peekaboo_samples_in_flight")).isZero();
        assertThat(after.value("peekaboo_oldest_in_flight_seconds")).isZero();
    }

    @Test
    void aResultThatCannotBeStoredIsADatabaseError() throws Exception {
        store.failFinish(true);
        AnalysisEngine engine = engine(byContent(), ClusterSettings.defaults());

        JudgedSample judged = scan(engine, List.of(file("letter.txt", "a letter"))).getFirst();

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(scraped.value("peekaboo_database_errors_total", "operation", "store")).isEqualTo(1);
        assertThat(scraped.value("peekaboo_database_errors_total", "operation", "lock")).isZero();
        assertThat(scraped.value("peekaboo_verdicts_total", "result", "failed", "rule", judged.verdict().rule()))
                .isEqualTo(1);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "store"))
                .as("only stores that succeeded are timed").isZero();
    }

    @Test
    void aLockThatCannotBeTakenIsADatabaseErrorAndTheSampleUndecided() throws Exception {
        locks.failAcquire(true);
        AnalysisEngine engine = engine(byContent(), ClusterSettings.defaults());

        JudgedSample judged = scan(engine, List.of(file("letter.txt", "a letter"))).getFirst();

        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(judged.verdict().rule()).isEqualTo(Undecided.LOCK.rule());
        assertThat(scraped.value("peekaboo_database_errors_total", "operation", "lock")).isEqualTo(1);
        assertThat(scraped.value("peekaboo_verdicts_total", "result", judged.verdict().result().label(), "rule",
                Undecided.LOCK.rule())).isEqualTo(1);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "rules")).isZero();
    }

    @Test
    void aLockLetGoWithoutAResultIsWaitedForThenTakenOver() throws Exception {
        AnalysisEngine engine = engine(byContent(),
                new ClusterSettings(Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMillis(100)));
        Path file = file("contested.txt", "bad and contested");
        String identity = TestContents.read(file, declared(file)).identity();
        locks.holdElsewhere(identity, Instant.now(), Duration.ofSeconds(60));

        CompletableFuture<List<JudgedSample>> outcome = engine.start(List.of(declared(file)), PATIENCE).done();
        await(() -> locks.leaseQueries() >= 1);
        assertThat(Exposition.parse(metrics.scrape()).value("peekaboo_lock_waiting")).isEqualTo(1);
        // The other instance gives up without storing a result.
        locks.releaseElsewhere(identity);
        JudgedSample judged = outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getFirst();

        assertThat(judged.verdict().rule()).isEqualTo("by_content");
        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(scraped.value("peekaboo_lock_wait_seconds_count")).isEqualTo(1);
        assertThat(scraped.value("peekaboo_lock_takeovers_total")).isEqualTo(1);
        assertThat(scraped.value("peekaboo_lock_waiting")).isZero();
        assertThat(scraped.value("peekaboo_verdicts_total", "result", "bad", "rule", "by_content")).isEqualTo(1);
    }

    @Test
    void cortexAnalysesAreTimedAsAStageAndTheirFailuresCounted() {
        metrics.cortexAnswered(Duration.ofMillis(1500), false);
        metrics.cortexAnswered(Duration.ofMinutes(20), true);

        Exposition scraped = Exposition.parse(metrics.scrape());
        assertThat(scraped.value("peekaboo_stage_duration_seconds_count", "stage", "cortex")).isEqualTo(2);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_sum", "stage", "cortex")).isEqualTo(1201.5);
        assertThat(scraped.value("peekaboo_stage_duration_seconds_bucket", "stage", "cortex", "le", "2.5"))
                .isEqualTo(1);
        assertThat(scraped.value("peekaboo_cortex_errors_total")).isEqualTo(1);
    }

    @Test
    void eachDaemonCountsInARegistryOfItsOwn() throws Exception {
        PeekabooMetrics other = new PeekabooMetrics("other");
        AnalysisEngine engine = engine(byContent(), ClusterSettings.defaults());

        scan(metrics.countingRequests(engine, FrontEnd.CLAMD), List.of(file("a.txt", "a letter")));

        assertThat(Exposition.parse(metrics.scrape()).value("peekaboo_requests_total", "frontend", "clamd"))
                .isEqualTo(1);
        assertThat(Exposition.parse(other.scrape()).value("peekaboo_requests_total", "frontend", "clamd")).isZero();
        assertThat(other.contentType()).startsWith("text/plain; version=0.0.4");
    }

    /** Bad when the content starts with "bad", good otherwise; asks for the detected type first, as real rules do. */
    private Ruleset byContent() {
        Rule byContent = rule("by_content", context -> {
            context.fileTypes();
            byte[] head = new byte[3];
            int read;
            try (var in = context.sample().content().openStream()) {
                read = in.readNBytes(head, 0, head.length);
            }
            boolean bad = new String(head, 0, read, StandardCharsets.US_ASCII).equals("bad");
            return RuleResult.stop("by_content", bad ? Result.BAD : Result.GOOD, bad ? "bad" : "fine");
        });
        return new Ruleset(List.of(new KnownRule(store), byContent), metrics.timing(new TikaFileTypeDetector()));
    }

    private AnalysisEngine engine(Ruleset ruleset, ClusterSettings cluster) {
        AnalysisEngine engine = new AnalysisEngine(ruleset, store, locks, TestContents.reader(),
                AllowedDirectories.of(List.of(dir)), TestContents.expander(NOT_OPENED), new AnalysisSettings(2), cluster,
                Clock.systemUTC(), metrics);
        metrics.watch(engine);
        engines.add(engine);
        return engine;
    }

    private static List<JudgedSample> scan(ScanService service, List<Path> files) throws Exception {
        return service.start(files.stream().map(PeekabooMetricsTest::declared).toList(), PATIENCE).done()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static SampleDeclaration declared(Path file) {
        return new SampleDeclaration(file.toString(), file.getFileName().toString(), null, null);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(TIMEOUT_SECONDS));
    }
}
