package org.peekaboo.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.ruleset.RuleResult;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.SampleVerdict;
import org.peekaboo.sample.Result;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Judges the samples of all requests on a bounded pool of workers.
 *
 * <p>Identical samples (same identity) that are in flight at the same time are judged
 * once: later ones wait for the first one's verdict without holding a worker. Every
 * judgement is recorded in the {@link AnalysisStore} before its waiters are told, so a
 * request that arrives afterwards finds it through the {@code known} rule; that is also
 * how a request whose deadline expired gets its verdict on the retry.
 *
 * <p>When more samples wait than the queue holds, new samples are answered at once with
 * {@code unchecked} instead of piling up: the mail is retried later rather than stuck.
 */
public final class AnalysisEngine implements ScanService, AutoCloseable {
    /** Pseudo rule names for verdicts that no rule gave. */
    static final String OVERLOAD = "overload";
    static final String INPUT = "input";
    static final String STORE = "store";

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisEngine.class);

    private final Ruleset ruleset;
    private final AnalysisStore store;
    private final SampleReader sampleReader;
    private final AllowedDirectories allowedDirectories;
    private final Clock clock;
    private final int queueSize;
    private final ThreadPoolExecutor intake;
    private final ThreadPoolExecutor workers;
    private final Map<String, CompletableFuture<SampleVerdict>> inFlight = new ConcurrentHashMap<>();

    public AnalysisEngine(Ruleset ruleset, AnalysisStore store, SampleReader sampleReader,
                          AllowedDirectories allowedDirectories, AnalysisSettings settings, Clock clock) {
        this.ruleset = Objects.requireNonNull(ruleset, "ruleset");
        this.store = Objects.requireNonNull(store, "store");
        this.sampleReader = Objects.requireNonNull(sampleReader, "sampleReader");
        this.allowedDirectories = Objects.requireNonNull(allowedDirectories, "allowedDirectories");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queueSize = settings.queueSize();
        // Path checks are cheap but touch the file system, so they stay off the callers'
        // (event loop) threads; one thread keeps requests in arrival order.
        this.intake = pool("peekaboo-intake", 1, settings.queueSize());
        this.workers = pool("peekaboo-worker", settings.workerCount(), settings.queueSize());
    }

    @Override
    public CompletableFuture<List<PendingSample>> start(List<SampleDeclaration> declarations) {
        List<SampleDeclaration> request = List.copyOf(declarations);
        CompletableFuture<List<PendingSample>> started = new CompletableFuture<>();
        try {
            intake.execute(() -> {
                try {
                    started.complete(admit(request));
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            started.complete(request.stream().map(this::overloaded).toList());
        }
        return started;
    }

    /** Samples waiting for a worker right now. */
    public int queuedSamples() {
        return workers.getQueue().size();
    }

    private List<PendingSample> admit(List<SampleDeclaration> request) {
        List<Path> files = new ArrayList<>(request.size());
        for (SampleDeclaration declaration : request) {
            files.add(allowedDirectories.resolve(declaration.fullName()));
        }
        List<PendingSample> pending = new ArrayList<>(request.size());
        for (int i = 0; i < request.size(); i++) {
            pending.add(submit(request.get(i), files.get(i)));
        }
        return pending;
    }

    private PendingSample submit(SampleDeclaration declaration, Path file) {
        CompletableFuture<JudgedSample> outcome = new CompletableFuture<>();
        try {
            workers.execute(new Judgement(declaration, file, outcome));
        } catch (RejectedExecutionException e) {
            return overloaded(declaration);
        }
        return new PendingSample(declaration, outcome);
    }

    private PendingSample overloaded(SampleDeclaration declaration) {
        SampleVerdict verdict = SampleVerdict.undecided(Result.UNCHECKED, OVERLOAD,
                "Peekaboo is overloaded (" + queueSize + " samples waiting); try again later");
        return new PendingSample(declaration, CompletableFuture.completedFuture(new JudgedSample(null, verdict)));
    }

    private void judge(SampleDeclaration declaration, Path file, CompletableFuture<JudgedSample> outcome) {
        try {
            Sample sample;
            try {
                sample = sampleReader.read(file, declaration);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not read sample {}: {}", file, e.toString());
                outcome.complete(new JudgedSample(null, SampleVerdict.undecided(Result.FAILED, INPUT,
                        "The file could not be read: " + e.getMessage())));
                return;
            }
            CompletableFuture<SampleVerdict> mine = new CompletableFuture<>();
            CompletableFuture<SampleVerdict> running = inFlight.putIfAbsent(sample.identity(), mine);
            if (running != null) {
                running.whenComplete((verdict, error) -> outcome.complete(new JudgedSample(sample,
                        verdict != null ? verdict : crashed(error))));
                return;
            }
            SampleVerdict verdict;
            try {
                verdict = decide(sample);
            } finally {
                inFlight.remove(sample.identity(), mine);
            }
            mine.complete(verdict);
            outcome.complete(new JudgedSample(sample, verdict));
        } catch (RuntimeException | Error e) {
            // Last line of defence: whatever happened, the client gets an undecided answer.
            LOG.error("Judging {} crashed", file, e);
            outcome.complete(new JudgedSample(null, crashed(e)));
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
                throw error;
            }
        }
    }

    private SampleVerdict decide(Sample sample) {
        MDC.put("sample", sample.sha256());
        long started = System.nanoTime();
        try {
            long jobId;
            try {
                jobId = store.begin(sample, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("Sample {} not analysed: {}", sample.sha256(), e.getMessage());
                return SampleVerdict.undecided(Result.FAILED, STORE,
                        "The analysis could not be recorded: " + e.getMessage());
            }
            SampleVerdict verdict = ruleset.run(sample, jobId);
            try {
                store.finish(jobId, verdict, clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("Result of job {} could not be stored: {}", jobId, e.getMessage());
                // Without a stored result the retry could not be answered from the cache,
                // so only a verdict that blocks the mail is safe to give.
                List<RuleResult> report = new ArrayList<>(verdict.report());
                report.add(RuleResult.stop(STORE, Result.FAILED,
                        "The result could not be recorded: " + e.getMessage()));
                verdict = SampleVerdict.of(report, jobId);
            }
            LOG.info("Sample {} {} job {}: {} by {} in {} ms: {}", sample.sha256(),
                    sample.nameDeclared() == null ? "(no name)" : '"' + sample.nameDeclared() + '"', jobId,
                    verdict.result(), verdict.rule(), Duration.ofNanos(System.nanoTime() - started).toMillis(),
                    verdict.reason());
            return verdict;
        } finally {
            MDC.remove("sample");
        }
    }

    private static SampleVerdict crashed(Throwable error) {
        return SampleVerdict.undecided(Result.FAILED, Ruleset.ENGINE, "Analysis aborted with error: " + error);
    }

    /**
     * Stops taking samples, lets queued and running ones finish within {@code grace}
     * (their results are stored), and abandons the rest.
     */
    public void close(Duration grace) {
        intake.shutdown();
        workers.shutdown();
        try {
            long deadline = System.nanoTime() + grace.toNanos();
            intake.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                List<Runnable> abandoned = workers.shutdownNow();
                abandoned.forEach(AnalysisEngine::abandon);
                LOG.warn("{} queued samples abandoned at shutdown; their requests were answered unchecked",
                        abandoned.size());
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static void abandon(Runnable task) {
        if (task instanceof Judgement judgement) {
            judgement.outcome.complete(new JudgedSample(null, SampleVerdict.undecided(Result.UNCHECKED, OVERLOAD,
                    "Peekaboo is shutting down; try again later")));
        }
    }

    /** A queued sample; a named type so that shutdown can answer the ones it abandons. */
    private final class Judgement implements Runnable {
        private final SampleDeclaration declaration;
        private final Path file;
        private final CompletableFuture<JudgedSample> outcome;

        Judgement(SampleDeclaration declaration, Path file, CompletableFuture<JudgedSample> outcome) {
            this.declaration = declaration;
            this.file = file;
            this.outcome = outcome;
        }

        @Override
        public void run() {
            judge(declaration, file, outcome);
        }
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queueCapacity) {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }
}
