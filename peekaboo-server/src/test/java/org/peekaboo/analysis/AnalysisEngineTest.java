package org.peekaboo.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.analysis.testing.LambdaRule.rule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.ScanService.PendingSample;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.analysis.testing.InMemoryAnalysisStore;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.ruleset.KnownRule;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.RuleResult;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Result;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;

class AnalysisEngineTest {
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path dir;

    private final InMemoryAnalysisStore store = new InMemoryAnalysisStore();
    private final List<AnalysisEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(AnalysisEngine::close);
    }

    @Test
    void judgesEachFileAndRecordsTheAnalysis() throws Exception {
        AnalysisEngine engine = engine(1, 10, constant(Result.BAD, false));

        JudgedSample judged = single(engine, file("a.txt", "alpha"));

        assertThat(judged.verdict().result()).isEqualTo(Result.BAD);
        assertThat(judged.sample().nameDeclared()).isEqualTo("a.txt");
        assertThat(store.all()).singleElement().satisfies(stored -> {
            assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED);
            assertThat(stored.result()).isEqualTo(Result.BAD);
            assertThat(stored.jobId()).isEqualTo(judged.verdict().jobId());
        });
    }

    @Test
    void samplesWaitingForExternalWorkDoNotHoldTheWorkers() throws Exception {
        CompletableFuture<Result> cortex = new CompletableFuture<>();
        Rule external = rule("external", context -> RuleResult.stop("external",
                context.externalWaits().await(cortex, Duration.ofSeconds(TIMEOUT_SECONDS)), "from elsewhere"));
        AnalysisEngine engine = engine(1, 100, new Ruleset(List.of(external), this::types));
        int samples = 20;
        List<CompletableFuture<JudgedSample>> outcomes = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            outcomes.addAll(engine.start(List.of(declared(file("s" + i + ".doc", "sample " + i), "s" + i + ".doc")))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().map(PendingSample::outcome).toList());
        }

        // One worker, yet every sample reaches its wait: none queues behind another's wait.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (engine.externalWaits() < samples) {
            assertThat(System.nanoTime()).as("samples waiting: %d", engine.externalWaits()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(engine.queuedSamples()).isZero();
        cortex.complete(Result.BAD);

        for (CompletableFuture<JudgedSample> outcome : outcomes) {
            assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).verdict().result()).isEqualTo(Result.BAD);
        }
        assertThat(engine.externalWaits()).isZero();
    }

    @Test
    void aFailedExternalWaitFailsTheSample() throws Exception {
        Rule external = rule("external", context -> RuleResult.stop("external",
                context.externalWaits().await(CompletableFuture.<Result>failedFuture(new IOException("Cortex down")),
                        Duration.ofSeconds(TIMEOUT_SECONDS)), "never"));
        AnalysisEngine engine = engine(1, 10, new Ruleset(List.of(external), this::types));

        JudgedSample judged = single(engine, file("f.doc", "fails"));

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.verdict().reason()).contains("Cortex down");
        assertThat(engine.externalWaits()).isZero();
    }

    @Test
    void identicalSamplesInFlightAreJudgedOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger executions = new AtomicInteger();
        Rule blocking = rule("blocking", context -> {
            executions.incrementAndGet();
            release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return RuleResult.stop("blocking", Result.BAD, "blocked");
        });
        AnalysisEngine engine = engine(4, 100, new Ruleset(List.of(new KnownRule(store), blocking), this::types));
        Path file = file("same.doc", "identical content");
        List<CompletableFuture<JudgedSample>> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outcomes.addAll(engine.start(List.of(declared(file, "same.doc"))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .stream().map(PendingSample::outcome).toList());
        }
        awaitQueueDrained(engine);
        release.countDown();

        for (CompletableFuture<JudgedSample> outcome : outcomes) {
            assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).verdict().result()).isEqualTo(Result.BAD);
        }
        assertThat(executions).hasValue(1);
    }

    @Test
    void laterRequestsForAJudgedSampleAreAnsweredFromTheStore() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        Rule counting = rule("counting", context -> {
            executions.incrementAndGet();
            return RuleResult.stop("counting", Result.BAD, "counted");
        });
        AnalysisEngine engine = engine(1, 10, new Ruleset(List.of(new KnownRule(store), counting), this::types));
        Path file = file("again.txt", "again");

        single(engine, file);
        JudgedSample second = single(engine, file);

        assertThat(executions).hasValue(1);
        assertThat(second.verdict().result()).isEqualTo(Result.BAD);
        assertThat(second.verdict().rule()).isEqualTo("known");
    }

    @Test
    void aFullQueueAnswersUncheckedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AnalysisEngine engine = engine(1, 1, new Ruleset(List.of(rule("blocking", context -> {
            release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return RuleResult.stop("blocking", Result.IGNORED, "done");
        })), this::types));
        try {
            List<PendingSample> pending = engine.start(List.of(declared(file("1", "1"), null),
                    declared(file("2", "2"), null), declared(file("3", "3"), null), declared(file("4", "4"), null)))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            List<JudgedSample> rejected = pending.stream().map(PendingSample::outcome)
                    .filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
            assertThat(rejected).isNotEmpty().allSatisfy(judged -> {
                assertThat(judged.verdict().result()).isEqualTo(Result.UNCHECKED);
                assertThat(judged.verdict().rule()).isEqualTo(AnalysisEngine.OVERLOAD);
            });
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStoreThatCannotBeginMakesTheSampleFailed() throws Exception {
        store.failBegin(true);
        AnalysisEngine engine = engine(1, 10, constant(Result.IGNORED, false));

        JudgedSample judged = single(engine, file("x.txt", "x"));

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.verdict().rule()).isEqualTo(AnalysisEngine.STORE);
    }

    @Test
    void aResultThatCannotBeStoredIsNeverGood() throws Exception {
        store.failFinish(true);
        AnalysisEngine good = engine(1, 10, constant(Result.GOOD, false));
        assertThat(single(good, file("g.txt", "g")).verdict().result()).isEqualTo(Result.FAILED);

        AnalysisEngine bad = engine(1, 10, constant(Result.BAD, false));
        assertThat(single(bad, file("b.txt", "b")).verdict().result()).isEqualTo(Result.BAD);
    }

    @Test
    void aFileOutsideTheAllowedDirectoriesRejectsTheRequest(@TempDir Path elsewhere) throws Exception {
        AnalysisEngine engine = engine(1, 10, constant(Result.GOOD, false));
        Path outside = Files.writeString(elsewhere.resolve("secret"), "secret");

        CompletableFuture<List<PendingSample>> started = engine.start(
                List.of(declared(file("ok.txt", "ok"), null), declared(outside, null)));

        assertThatThrownBy(() -> started.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedRequestException.class)
                .hasMessageContaining("outside the directories");
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aFileThatVanishesBeforeItIsReadIsFailed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AnalysisEngine engine = engine(1, 10, new Ruleset(List.of(rule("blocking", context -> {
            release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return RuleResult.stop("blocking", Result.IGNORED, "done");
        })), this::types));
        Path vanishing = file("v.txt", "v");

        List<PendingSample> pending = engine.start(List.of(declared(file("first", "first"), null),
                declared(vanishing, null))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Files.delete(vanishing);
        release.countDown();

        JudgedSample judged = pending.get(1).outcome().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.sample()).isNull();
    }

    private AnalysisEngine engine(int workers, int queue, Ruleset ruleset) {
        AnalysisEngine engine = new AnalysisEngine(ruleset, store, new FakeSampleLocks("this-instance"),
                new SampleReader(), AllowedDirectories.of(List.of(dir)), new AnalysisSettings(workers, queue),
                ClusterSettings.defaults(), Clock.systemUTC());
        engines.add(engine);
        return engine;
    }

    private Ruleset constant(Result result, boolean proceed) {
        return new Ruleset(List.of(rule("constant", context -> new RuleResult("constant", result, "constant", proceed))),
                this::types);
    }

    private FileTypeReport types(org.peekaboo.sample.Sample sample) {
        return new FileTypeReport("text/plain", null, "text");
    }

    private static JudgedSample single(AnalysisEngine engine, Path file) throws Exception {
        List<PendingSample> pending = engine.start(List.of(declared(file, file.getFileName().toString())))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return pending.getFirst().outcome().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitQueueDrained(AnalysisEngine engine) throws InterruptedException {
        for (int i = 0; i < 3000 && engine.queuedSamples() > 0; i++) {
            Thread.sleep(10);
        }
    }

    private static SampleDeclaration declared(Path file, String name) {
        return new SampleDeclaration(file.toString(), name, null, null);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
