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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.analysis.ScanService.RejectedRequestException;
import org.peekaboo.analysis.testing.FakeSampleLocks;
import org.peekaboo.analysis.testing.InMemoryAnalysisStore;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.ruleset.KnownRule;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSource;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.Undecided;

class AnalysisEngineTest {
    private static final long TIMEOUT_SECONDS = 30;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

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
        AnalysisEngine engine = engine(1, constant(Result.BAD, false));

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
    void anAnalysisThatNeedsNoJobIdIsWrittenOnceFinished() throws Exception {
        AnalysisEngine engine = engine(1, constant(Result.IGNORED, false));

        JudgedSample judged = single(engine, file("once.txt", "once"));

        assertThat(store.begun()).isZero();
        assertThat(store.all()).singleElement().satisfies(stored -> {
            assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED);
            assertThat(stored.jobId()).isEqualTo(judged.verdict().jobId());
        });
    }

    @Test
    void anAnalysisWaitingForWorkElsewhereIsInTheStoreAsRunning() throws Exception {
        CompletableFuture<Result> cortex = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Rule external = rule("external", context -> {
            waiting.countDown();
            return RuleResult.stop("external", context.externalWaits().await(cortex,
                    Duration.ofSeconds(TIMEOUT_SECONDS)), "from elsewhere");
        });
        AnalysisEngine engine = engine(1, new Ruleset(List.of(external), this::types));
        CompletableFuture<List<JudgedSample>> outcome = engine.start(
                List.of(declared(file("slow.doc", "slow"), "slow.doc")), PATIENCE).done();
        assertThat(waiting.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        await(() -> !store.all().isEmpty());

        assertThat(store.all()).singleElement().extracting(AnalysisStore.StoredAnalysis::state)
                .isEqualTo(AnalysisStore.State.RUNNING);
        cortex.complete(Result.BAD);
        JudgedSample judged = outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getFirst();
        assertThat(store.all()).singleElement().satisfies(stored -> {
            assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED);
            assertThat(stored.result()).isEqualTo(Result.BAD);
            assertThat(stored.jobId()).isEqualTo(judged.verdict().jobId());
        });
    }

    @Test
    void anAnalysisThatTakesLongIsShownAsRunningUntilItIsFinished() throws Exception {
        CountDownLatch shown = new CountDownLatch(1);
        Rule slow = rule("slow", context -> {
            // Ends once the judge's timer has recorded the analysis as running.
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (store.all().isEmpty() && System.nanoTime() < giveUp) {
                Thread.sleep(20);
            }
            shown.countDown();
            return RuleResult.stop("slow", Result.BAD, "slowly");
        });
        AnalysisEngine engine = engine(1, new Ruleset(List.of(slow), this::types));

        JudgedSample judged = single(engine, file("long.doc", "takes long"));

        assertThat(shown.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(store.begun()).isEqualTo(1);
        assertThat(store.all()).singleElement().satisfies(stored -> {
            assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED);
            assertThat(stored.result()).isEqualTo(Result.BAD);
            assertThat(stored.jobId()).isEqualTo(judged.verdict().jobId());
        });
    }

    @Test
    void aRuleAskingForTheJobIdGetsTheOneTheAnalysisIsStoredUnder() throws Exception {
        AtomicLong seen = new AtomicLong();
        Rule asking = rule("asking", context -> {
            seen.set(context.jobId());
            return RuleResult.stop("asking", Result.GOOD, "job " + context.jobId());
        });
        AnalysisEngine engine = engine(1, new Ruleset(List.of(asking), this::types));

        JudgedSample judged = single(engine, file("id.txt", "which job"));

        assertThat(seen.get()).isPositive().isEqualTo(judged.verdict().jobId());
        assertThat(store.all()).singleElement().satisfies(stored -> {
            assertThat(stored.jobId()).isEqualTo(seen.get());
            assertThat(stored.state()).isEqualTo(AnalysisStore.State.FINISHED);
        });
    }

    @Test
    void samplesWaitingForExternalWorkDoNotHoldTheWorkers() throws Exception {
        CompletableFuture<Result> cortex = new CompletableFuture<>();
        AtomicInteger waiting = new AtomicInteger();
        Rule external = rule("external", context -> {
            waiting.incrementAndGet();
            return RuleResult.stop("external", context.externalWaits().await(cortex,
                    Duration.ofSeconds(TIMEOUT_SECONDS)), "from elsewhere");
        });
        AnalysisEngine engine = engine(1, new Ruleset(List.of(external), this::types));
        int samples = 20;
        List<CompletableFuture<List<JudgedSample>>> outcomes = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            outcomes.add(engine.start(List.of(declared(file("s" + i + ".doc", "sample " + i), "s" + i + ".doc")),
                    PATIENCE).done());
        }

        // One worker, yet every sample reaches its wait: none queues behind another's wait.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (waiting.get() < samples) {
            assertThat(System.nanoTime()).as("samples waiting: %d", waiting.get()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(engine.waitingForPermits()).isZero();
        cortex.complete(Result.BAD);

        for (CompletableFuture<List<JudgedSample>> outcome : outcomes) {
            assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getFirst().verdict().result())
                    .isEqualTo(Result.BAD);
        }
    }

    @Test
    void aFailedExternalWaitFailsTheSample() throws Exception {
        Rule external = rule("external", context -> RuleResult.stop("external",
                context.externalWaits().await(CompletableFuture.<Result>failedFuture(new IOException("Cortex down")),
                        Duration.ofSeconds(TIMEOUT_SECONDS)), "never"));
        AnalysisEngine engine = engine(1, new Ruleset(List.of(external), this::types));

        JudgedSample judged = single(engine, file("f.doc", "fails"));

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.verdict().reason()).contains("Cortex down");
        assertThat(engine.waitingForPermits()).isZero();
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
        AnalysisEngine engine = engine(4, new Ruleset(List.of(new KnownRule(store), blocking), this::types));
        Path file = file("same.doc", "identical content");
        List<CompletableFuture<List<JudgedSample>>> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            outcomes.add(engine.start(List.of(declared(file, "same.doc")), PATIENCE).done());
        }
        await(() -> executions.get() == 1);
        release.countDown();

        for (CompletableFuture<List<JudgedSample>> outcome : outcomes) {
            assertThat(outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getFirst().verdict().result())
                    .isEqualTo(Result.BAD);
        }
        assertThat(executions).hasValue(1);
        assertThat(store.all()).as("one analysis; copies that came later are answered from it").isNotEmpty()
                .filteredOn(stored -> stored.report().stream().anyMatch(rule -> rule.rule().equals("blocking")))
                .hasSize(1);
    }

    @Test
    void laterRequestsForAJudgedSampleAreAnsweredFromTheStore() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        Rule counting = rule("counting", context -> {
            executions.incrementAndGet();
            return RuleResult.stop("counting", Result.BAD, "counted");
        });
        AnalysisEngine engine = engine(1, new Ruleset(List.of(new KnownRule(store), counting), this::types));
        Path file = file("again.txt", "again");

        single(engine, file);
        JudgedSample second = single(engine, file);

        assertThat(executions).hasValue(1);
        assertThat(second.verdict().result()).isEqualTo(Result.BAD);
        assertThat(second.verdict().rule()).isEqualTo("known");
    }

    @Test
    void aBurstThatCanBeJudgedInTimeIsJudgedInFull() throws Exception {
        AnalysisEngine engine = engine(1, constant(Result.IGNORED, false));
        List<SampleDeclaration> burst = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            burst.add(declared(file("burst-" + i, "burst " + i), null));
        }

        List<ScanJob> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(engine.start(burst.subList(i * 250, (i + 1) * 250), PATIENCE));
        }

        for (ScanJob job : jobs) {
            assertThat(job.done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    .allSatisfy(judged -> assertThat(judged.verdict().result()).isEqualTo(Result.IGNORED));
        }
    }

    @Test
    void samplesThatCannotBeJudgedBeforeTheirDeadlineAreRefusedAtOnceAndTheEngineRecovers() throws Exception {
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));
        Rule gated = rule("gated", context -> {
            gate.get().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return RuleResult.stop("gated", Result.IGNORED, "done");
        });
        AnalysisEngine engine = engine(1, new Ruleset(List.of(gated), this::types));
        // Teaches the engine how long a sample takes here: a second.
        CompletableFuture<List<JudgedSample>> first = engine.start(List.of(declared(file("first", "1"), null)),
                PATIENCE).done();
        Thread.sleep(1000);
        gate.get().countDown();
        first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        gate.set(new CountDownLatch(1));

        List<ScanJob> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(engine.start(List.of(declared(file("overload-" + i, "overload " + i), null)),
                    Duration.ofMillis(2500)));
        }

        // While the admitted samples are stuck (one judged, the others waiting), the rest have their answer.
        await(() -> jobs.stream().filter(job -> job.done().isDone()).count() + 1 + engine.waitingForPermits()
                == jobs.size());
        assertThat(jobs).filteredOn(job -> job.done().isDone()).as("refused").isNotEmpty()
                .allSatisfy(job -> assertThat(job.done().join().getFirst().verdict()).satisfies(verdict -> {
                    assertThat(verdict.result()).isEqualTo(Result.UNCHECKED);
                    assertThat(verdict.rule()).isEqualTo(Undecided.OVERLOAD.rule());
                }));
        gate.get().countDown();
        for (ScanJob job : jobs) {
            job.done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(single(engine, file("afterwards", "after the overload")).verdict().rule())
                .as("recovered").isEqualTo("gated");
    }

    @Test
    void aStoreThatCannotBeginMakesTheSampleFailed() throws Exception {
        store.failBegin(true);
        AnalysisEngine engine = engine(1, constant(Result.IGNORED, false));

        JudgedSample judged = single(engine, file("x.txt", "x"));

        assertThat(judged.verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.verdict().rule()).isEqualTo(Undecided.STORE.rule());
    }

    @Test
    void aResultThatCannotBeStoredIsNeverGood() throws Exception {
        store.failFinish(true);
        AnalysisEngine good = engine(1, constant(Result.GOOD, false));
        assertThat(single(good, file("g.txt", "g")).verdict().result()).isEqualTo(Result.FAILED);

        AnalysisEngine bad = engine(1, constant(Result.BAD, false));
        assertThat(single(bad, file("b.txt", "b")).verdict().result()).isEqualTo(Result.BAD);
    }

    @Test
    void aFileOutsideTheAllowedDirectoriesRejectsTheRequest(@TempDir Path elsewhere) throws Exception {
        AnalysisEngine engine = engine(1, constant(Result.GOOD, false));
        Path outside = Files.writeString(elsewhere.resolve("secret"), "secret");

        ScanJob job = engine.start(List.of(declared(file("ok.txt", "ok"), null), declared(outside, null)), PATIENCE);

        assertThatThrownBy(() -> job.done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedRequestException.class)
                .hasMessage("Path \"" + outside + "\" " + AllowedDirectories.UNREADABLE);
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aFileThatVanishesBeforeItIsReadIsFailed() throws Exception {
        AnalysisEngine engine = engine(1, constant(Result.IGNORED, false));
        Path vanishing = file("v.txt", "v");
        SampleReader reader = TestContents.reader();
        AnalysisEngine deleting = new AnalysisEngine(constant(Result.IGNORED, false), store,
                new FakeSampleLocks("this-instance"), (file, deadline) -> {
                    // Gone after the request was checked, before it is read.
                    Files.deleteIfExists(vanishing);
                    return reader.read(file, deadline);
                }, AllowedDirectories.of(List.of(dir)), TestContents.expander(), new AnalysisSettings(1), ClusterSettings.defaults(),
                Clock.systemUTC());
        engines.add(deleting);

        List<JudgedSample> judged = deleting.start(List.of(declared(file("first", "first"), null),
                declared(vanishing, null)), PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged.get(1).verdict().result()).isEqualTo(Result.FAILED);
        assertThat(judged.get(1).verdict().rule()).isEqualTo(Undecided.INPUT.rule());
        assertThat(judged.get(1).sample()).isNull();
        assertThat(single(engine, file("second", "second")).verdict().result()).isEqualTo(Result.IGNORED);
    }

    @Test
    void aRequestOfManyFilesReadsOnlyAFewAtOnce() throws Exception {
        AtomicInteger reading = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        SampleReader reader = TestContents.reader();
        AnalysisEngine engine = new AnalysisEngine(constant(Result.IGNORED, false), store,
                new FakeSampleLocks("this-instance"), (file, deadline) -> {
                    mostAtOnce.accumulateAndGet(reading.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(20);
                        return reader.read(file, deadline);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    } finally {
                        reading.decrementAndGet();
                    }
                }, AllowedDirectories.of(List.of(dir)), TestContents.expander(), new AnalysisSettings(3), ClusterSettings.defaults(),
                Clock.systemUTC());
        engines.add(engine);
        List<SampleDeclaration> files = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            files.add(declared(file("many-" + i, "many " + i), null));
        }

        List<JudgedSample> judged = engine.start(files, PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged).allSatisfy(file -> assertThat(file.verdict().result()).isEqualTo(Result.IGNORED));
        assertThat(mostAtOnce.get()).isBetween(2, AnalysisEngine.CONCURRENT_READS);
    }

    @Test
    void anErrorThatEndsAJudgementStillAnswersItsFileFailed() throws Exception {
        AnalysisEngine engine = engine(1, new Ruleset(List.of(rule("broken", context -> {
            throw new LinkageError("a class could not be loaded");
        })), this::types));

        List<JudgedSample> judged = engine.start(List.of(declared(file("e1", "error 1"), null),
                declared(file("e2", "error 2"), null)), PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged).allSatisfy(file -> {
            assertThat(file.verdict().result()).isEqualTo(Result.FAILED);
            assertThat(file.verdict().rule()).isEqualTo(Undecided.CRASH.rule());
        });
    }

    @Test
    void aRequestOfManyFilesIsAnsweredInRequestOrder() throws Exception {
        AnalysisEngine engine = engine(3, new Ruleset(List.of(rule("named", context ->
                RuleResult.stop("named", Result.GOOD, context.sample().nameDeclared()))), this::types));
        List<SampleDeclaration> files = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            files.add(declared(file("f" + i, "content " + i), "f" + i));
        }

        List<JudgedSample> judged = engine.start(files, PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged).extracting(file -> file.verdict().reason())
                .containsExactlyElementsOf(files.stream().map(SampleDeclaration::nameDeclared).toList());
    }

    @Test
    void aFileNamedManyTimesInOneRequestIsReadOnce() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        SampleReader reader = TestContents.reader();
        AnalysisEngine engine = engine(3, constant(Result.IGNORED, false), (file, deadline) -> {
            reads.incrementAndGet();
            return reader.read(file, deadline);
        }, dir);
        Path file = file("big.bin", "the same bytes");
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), file);
        List<SampleDeclaration> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            files.add(declared(i % 2 == 0 ? file : alias, "name-" + i + ".bin"));
        }

        List<JudgedSample> judged = engine.start(files, PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(reads).hasValue(1);
        assertThat(judged).hasSize(30).allSatisfy(one -> {
            assertThat(one.verdict().result()).isEqualTo(Result.IGNORED);
            assertThat(one.sample().sha256()).isEqualTo(judged.getFirst().sample().sha256());
        });
        assertThat(judged).extracting(one -> one.sample().nameDeclared()).doesNotHaveDuplicates();
    }

    @Test
    void aFileAboveTheSizeLimitIsUncheckedWithoutBeingRead() throws Exception {
        AnalysisEngine engine = engine(1, constant(Result.GOOD, false), TestContents.reader(1024), dir);

        JudgedSample judged = single(engine, Files.write(dir.resolve("large.bin"), new byte[1025]));

        assertThat(judged.sample()).isNull();
        assertThat(judged.verdict().result()).isEqualTo(Result.UNCHECKED);
        assertThat(judged.verdict().rule()).isEqualTo(Undecided.TOO_LARGE.rule());
        assertThat(judged.verdict().reason()).contains("1025 bytes").contains("max_sample_size");
        assertThat(store.all()).isEmpty();
        assertThat(single(engine, file("small.txt", "small")).verdict().result()).isEqualTo(Result.GOOD);
    }

    @Test
    void spooledSnapshotsAreDeletedWhenTheirSamplesAreJudgedAlsoWhenARuleFails(@TempDir Path spool)
            throws Exception {
        SampleReader reader = new SampleReader(LibcFiles.load(), SampleSpool.under(spool),
                AnalysisSettings.DEFAULT_MAX_SAMPLE_SIZE);
        Rule failing = rule("failing", context -> {
            context.sample().content().file();
            throw new IOException("broken on purpose");
        });
        AnalysisEngine engine = engine(2, new Ruleset(List.of(failing), this::types), reader, dir);
        Path large = Files.write(dir.resolve("large.bin"), new byte[3 * 1024 * 1024]);
        Path small = file("small.doc", "small");

        List<JudgedSample> judged = engine.start(List.of(declared(large, "a.bin"), declared(small, "b.doc"),
                declared(large, "c.bin")), PATIENCE).done().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        assertThat(judged).extracting(one -> one.verdict().result()).containsOnly(Result.FAILED);
        await(() -> {
            try (var files = Files.walk(spool)) {
                return files.noneMatch(Files::isRegularFile);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private AnalysisEngine engine(int workers, Ruleset ruleset, SampleSource source, Path allowed) {
        AnalysisEngine engine = new AnalysisEngine(ruleset, store, new FakeSampleLocks("this-instance"), source,
                AllowedDirectories.of(List.of(allowed)), TestContents.expander(), new AnalysisSettings(workers), ClusterSettings.defaults(),
                Clock.systemUTC());
        engines.add(engine);
        return engine;
    }

    private AnalysisEngine engine(int workers, Ruleset ruleset) {
        return engine(workers, ruleset, TestContents.reader(), dir);
    }

    private Ruleset constant(Result result, boolean proceed) {
        return new Ruleset(List.of(rule("constant", context -> new RuleResult("constant", result, "constant", proceed))),
                this::types);
    }

    private FileTypeReport types(org.peekaboo.sample.Sample sample) {
        return new FileTypeReport("text/plain", null, "text");
    }

    private static JudgedSample single(AnalysisEngine engine, Path file) throws Exception {
        return engine.start(List.of(declared(file, file.getFileName().toString())), PATIENCE).done()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getFirst();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
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
