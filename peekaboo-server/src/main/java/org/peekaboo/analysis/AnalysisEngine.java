package org.peekaboo.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.ruleset.ExternalWaits;
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
 * <p>Across instances sharing one database, the owner of an in-flight sample takes the
 * sample's lock row ({@link SampleLocks}) before it runs the ruleset, renews the lease while
 * the ruleset runs and releases it once the result is stored. A sample locked by another
 * instance waits in {@link LockWaiters} without a thread and tries again when that lock is
 * released (the {@code known} rule then answers from the store) or its lease expired (this
 * instance takes the analysis over).
 *
 * <p>When more samples wait than the queue holds, new samples are answered at once with
 * {@code unchecked} instead of piling up: the mail is retried later rather than stuck.
 */
public final class AnalysisEngine implements ScanService, AutoCloseable {
    /** Pseudo rule names for verdicts that no rule gave. */
    static final String OVERLOAD = "overload";
    static final String INPUT = "input";
    static final String STORE = "store";
    static final String LOCK = "lock";

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisEngine.class);
    /**
     * How long {@link #close(Duration)} waits for interrupted analyses to store their failure and
     * release their locks themselves, beyond the grace; one that ignores the interrupt is left behind.
     */
    static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(2);

    private final Ruleset ruleset;
    private final AnalysisStore store;
    private final SampleReader sampleReader;
    private final AllowedDirectories allowedDirectories;
    private final Clock clock;
    private final int queueSize;
    private final int workerCount;
    private final ExternalWaits externalWaits = new CompensatingWaits();
    /** Workers waiting for external work right now, each replaced by an extra thread; guarded by {@code this}. */
    private int compensatedWaits;
    private final ThreadPoolExecutor intake;
    private final ThreadPoolExecutor workers;
    private final SampleLocks locks;
    private final Duration lease;
    private final Duration renewInterval;
    /** Lease renewals and the waiters' polling: short blocking database calls, no analysis. */
    private final ScheduledThreadPoolExecutor scheduler;
    private final LockWaiters waiters;
    private final Map<String, CompletableFuture<SampleVerdict>> inFlight = new ConcurrentHashMap<>();
    /** Identities whose lock row this instance could not release, because the database was down. */
    private final Set<String> unreleased = ConcurrentHashMap.newKeySet();

    public AnalysisEngine(Ruleset ruleset, AnalysisStore store, SampleLocks locks, SampleReader sampleReader,
                          AllowedDirectories allowedDirectories, AnalysisSettings settings, ClusterSettings cluster,
                          Clock clock) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.lease = cluster.lease();
        this.renewInterval = cluster.renewInterval();
        this.ruleset = Objects.requireNonNull(ruleset, "ruleset");
        this.store = Objects.requireNonNull(store, "store");
        this.sampleReader = Objects.requireNonNull(sampleReader, "sampleReader");
        this.allowedDirectories = Objects.requireNonNull(allowedDirectories, "allowedDirectories");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queueSize = settings.queueSize();
        // Path checks are cheap but touch the file system, so they stay off the callers'
        // (event loop) threads; one thread keeps requests in arrival order.
        this.intake = pool("peekaboo-intake", 1, settings.queueSize());
        this.workerCount = settings.workerCount();
        this.workers = pool(settings.workerCount(), settings.queueSize(),
                Thread.ofVirtual().name("peekaboo-worker-", 1).factory());
        this.scheduler = scheduler();
        this.waiters = new LockWaiters(locks, clock, cluster.pollInterval(), scheduler);
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
            started.complete(request.stream().map(this::refused).toList());
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
            return refused(declaration);
        }
        return new PendingSample(declaration, outcome);
    }

    /** A sample the pools would not take: they are full, or shut down because the daemon stops. */
    private PendingSample refused(SampleDeclaration declaration) {
        SampleVerdict verdict = workers.isShutdown() || intake.isShutdown()
                ? shuttingDown()
                : SampleVerdict.undecided(Result.UNCHECKED, OVERLOAD,
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
            CompletableFuture<SampleVerdict> judgement = running != null ? running : mine;
            judgement.whenComplete((verdict, error) -> outcome.complete(new JudgedSample(sample,
                    verdict != null ? verdict : crashed(error))));
            if (running == null) {
                attempt(sample, mine);
            }
        } catch (RuntimeException | Error e) {
            // Last line of defence: whatever happened, the client gets an undecided answer.
            LOG.error("Judging {} crashed", file, e);
            outcome.complete(new JudgedSample(null, crashed(e)));
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
                throw error;
            }
        }
    }

    /**
     * Runs the ruleset under the sample's cluster-wide lock, or parks the sample until the
     * instance holding that lock is done. Whatever happens, {@code mine} is completed or the
     * sample is left waiting for another try.
     */
    private void attempt(Sample sample, CompletableFuture<SampleVerdict> mine) {
        String identity = sample.identity();
        try {
            if (answeredFromKnownResults(sample, mine)) {
                return;
            }
            boolean acquired;
            try {
                releaseLeftOver(identity);
                acquired = locks.tryAcquire(identity, clock.instant(), lease);
            } catch (RuntimeException e) {
                // The database may have taken the row and gone away before saying so: a row of
                // this instance's that nobody would release before its lease ran out.
                unreleased.add(identity);
                warnUnlessUnreachable(e, "Sample {} not analysed: its lock could not be taken: {}", sample.sha256(),
                        e.getMessage());
                settle(sample, mine, SampleVerdict.undecided(Result.FAILED, LOCK,
                        "The sample could not be locked for analysis: " + e.getMessage()));
                return;
            }
            if (!acquired) {
                LOG.debug("Sample {} is being analysed by another instance; waiting for it", sample.sha256());
                if (!waiters.await(identity, () -> resume(sample, mine))) {
                    settle(sample, mine, shuttingDown());
                }
                return;
            }
            SampleVerdict verdict;
            Renewal renewal = new Renewal(sample);
            try {
                verdict = decide(sample);
            } finally {
                renewal.stop();
                release(sample);
            }
            settle(sample, mine, verdict);
        } catch (RuntimeException | Error e) {
            LOG.error("Judging sample {} crashed", sample.sha256(), e);
            settle(sample, mine, crashed(e));
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
                throw error;
            }
        }
    }

    /**
     * Answers a sample an earlier analysis decided without taking its lock: reading a
     * finished result races with nothing. This is the hot path of retried and mass-mailed
     * attachments, and costs two statements instead of five (lock, begin, look-up, finish,
     * release). Whatever goes wrong here, the full run under the lock asks again and fails closed.
     */
    private boolean answeredFromKnownResults(Sample sample, CompletableFuture<SampleVerdict> mine) {
        Optional<RuleResult> known;
        try {
            known = ruleset.answerFromKnownResults(sample);
        } catch (Exception e) {
            LOG.debug("Sample {}: earlier results could not be read before locking: {}", sample.sha256(), e.toString());
            return false;
        }
        if (known.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        SampleVerdict verdict = SampleVerdict.of(List.of(known.get()), 0);
        try {
            long jobId = store.record(sample, verdict, now, now);
            verdict = verdict.withJobId(jobId);
            LOG.info("Sample {} {} job {}: {} by {}: {}", sample.sha256(),
                    sample.nameDeclared() == null ? "(no name)" : '"' + sample.nameDeclared() + '"', jobId,
                    verdict.result(), verdict.rule(), verdict.reason());
        } catch (RuntimeException e) {
            warnUnlessUnreachable(e, "Sample {}: the answer from an earlier result could not be recorded: {}",
                    sample.sha256(), e.getMessage());
            verdict = SampleVerdict.undecided(Result.FAILED, STORE, "The analysis could not be recorded: "
                    + e.getMessage());
        }
        settle(sample, mine, verdict);
        return true;
    }

    /** Hands a sample whose lock was released or expired elsewhere back to the workers. */
    private void resume(Sample sample, CompletableFuture<SampleVerdict> mine) {
        try {
            workers.execute(new Resumption(sample, mine));
        } catch (RejectedExecutionException e) {
            if (workers.isShutdown()) {
                settle(sample, mine, shuttingDown());
            } else {
                // The queue is full: waiting another poll interval costs nothing, and the
                // request's deadline answers the client meanwhile.
                if (!waiters.await(sample.identity(), () -> resume(sample, mine))) {
                    settle(sample, mine, shuttingDown());
                }
            }
        }
    }

    private void release(Sample sample) {
        try {
            if (!locks.release(sample.identity())) {
                LOG.warn("Sample {}: the lock was no longer this instance's when the analysis ended "
                        + "(lease expired and taken over); the result is stored anyway", sample.sha256());
            }
        } catch (RuntimeException e) {
            // The lease runs out by itself; until then other instances wait, which is safe.
            unreleased.add(sample.identity());
            warnUnlessUnreachable(e, "Sample {}: the lock could not be released: {}", sample.sha256(), e.getMessage());
        }
    }

    /**
     * Deletes this instance's own lock row on {@code identity} that an earlier analysis could
     * not release. Left alone, it would keep this instance waiting for itself until the lease
     * ran out, answering every retry unchecked although the database is back. Safe: only one
     * attempt per identity runs in an instance at a time, so the row is no running analysis's.
     */
    private void releaseLeftOver(String identity) {
        if (unreleased.remove(identity)) {
            try {
                locks.release(identity);
            } catch (RuntimeException e) {
                unreleased.add(identity);
                throw e;
            }
        }
    }

    /**
     * While the database is unreachable every sample fails alike and the store logs the outage
     * once; a warning per sample would bury that line.
     */
    private static void warnUnlessUnreachable(RuntimeException failure, String format, Object... arguments) {
        if (failure instanceof AnalysisStore.StoreException store && store.unreachable()) {
            LOG.debug(format, arguments);
        } else {
            LOG.warn(format, arguments);
        }
    }

    /** The result is stored (or failed) before it is published, see ADR 0002. */
    private void settle(Sample sample, CompletableFuture<SampleVerdict> mine, SampleVerdict verdict) {
        inFlight.remove(sample.identity(), mine);
        mine.complete(verdict);
    }

    private SampleVerdict decide(Sample sample) {
        MDC.put("sample", sample.sha256());
        long started = System.nanoTime();
        try {
            long jobId;
            try {
                jobId = store.begin(sample, clock.instant());
            } catch (RuntimeException e) {
                warnUnlessUnreachable(e, "Sample {} not analysed: {}", sample.sha256(), e.getMessage());
                return SampleVerdict.undecided(Result.FAILED, STORE,
                        "The analysis could not be recorded: " + e.getMessage());
            }
            SampleVerdict verdict = ruleset.run(sample, jobId, externalWaits);
            try {
                store.finish(jobId, verdict, clock.instant());
            } catch (RuntimeException e) {
                warnUnlessUnreachable(e, "Result of job {} could not be stored: {}", jobId, e.getMessage());
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

    private static SampleVerdict shuttingDown() {
        return SampleVerdict.undecided(Result.UNCHECKED, OVERLOAD, "Peekaboo is shutting down; try again later");
    }

    private static SampleVerdict crashed(Throwable error) {
        return SampleVerdict.undecided(Result.FAILED, Ruleset.ENGINE, "Analysis aborted with error: " + error);
    }

    /**
     * Stops taking samples and lets queued and running ones finish within {@code grace} (their
     * results are stored). Then queued samples are abandoned and running analyses interrupted;
     * both are answered unchecked. Finally this instance's lock rows are released, so that other
     * instances can take the samples over at once. Returns within {@code grace} plus
     * {@link #INTERRUPTED_WAIT} and the time the release takes.
     */
    public void close(Duration grace) {
        intake.shutdown();
        workers.shutdown();
        // Waiting for another instance's result could outlast any grace; the retry finds it.
        for (String identity : waiters.close()) {
            CompletableFuture<SampleVerdict> waiting = inFlight.remove(identity);
            if (waiting != null) {
                waiting.complete(shuttingDown());
            }
        }
        try {
            long deadline = System.nanoTime() + grace.toNanos();
            intake.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                interruptAndAbandon(grace);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow().forEach(this::abandon);
            Thread.currentThread().interrupt();
        } finally {
            scheduler.shutdownNow();
            releaseAll();
        }
    }

    private void interruptAndAbandon(Duration grace) throws InterruptedException {
        int running = workers.getActiveCount();
        List<Runnable> abandoned = workers.shutdownNow();
        abandoned.forEach(this::abandon);
        LOG.warn("Shutdown grace of {} ms over: {} queued samples abandoned, {} running analyses interrupted; "
                + "their requests are answered unchecked", grace.toMillis(), abandoned.size(), running);
        // An interrupted analysis records its failure and releases its own lock; waiting for that
        // keeps the store's connections from being closed under it.
        if (!workers.awaitTermination(INTERRUPTED_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
            LOG.warn("{} analyses ignored the interrupt for {} ms; their requests are answered unchecked and "
                    + "their locks released anyway", workers.getActiveCount(), INTERRUPTED_WAIT.toMillis());
            // A verdict they might still settle later is ignored: a future completes only once.
            inFlight.values().forEach(judgement -> judgement.complete(shuttingDown()));
        }
    }

    /** Analyses abandoned at shutdown must not block other instances until their leases expire. */
    private void releaseAll() {
        try {
            int released = locks.releaseAll();
            if (released > 0) {
                LOG.info("Released {} sample locks at shutdown", released);
            }
        } catch (RuntimeException e) {
            LOG.warn("Sample locks could not be released at shutdown; they expire with their leases: {}",
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private void abandon(Runnable task) {
        if (task instanceof Judgement judgement) {
            judgement.outcome.complete(new JudgedSample(null, shuttingDown()));
        } else if (task instanceof Resumption resumption) {
            settle(resumption.sample, resumption.mine, shuttingDown());
        }
    }

    /** A sample that tries for its lock again; named so that shutdown can answer it. */
    private final class Resumption implements Runnable {
        private final Sample sample;
        private final CompletableFuture<SampleVerdict> mine;

        Resumption(Sample sample, CompletableFuture<SampleVerdict> mine) {
            this.sample = sample;
            this.mine = mine;
        }

        @Override
        public void run() {
            attempt(sample, mine);
        }
    }

    /**
     * Extends the lease every renew interval while the ruleset runs. A lost lock is logged
     * once: the analysis goes on and stores its result, which is at worst duplicated work.
     */
    private final class Renewal {
        private final Sample sample;
        private final ScheduledFuture<?> task;
        private volatile boolean lost;

        Renewal(Sample sample) {
            this.sample = sample;
            long period = renewInterval.toNanos();
            this.task = scheduler.scheduleAtFixedRate(this::renew, period, period, TimeUnit.NANOSECONDS);
        }

        private void renew() {
            if (lost) {
                return;
            }
            try {
                if (!locks.renew(sample.identity(), clock.instant(), lease)) {
                    lost = true;
                    LOG.warn("Sample {}: lost the lock while analysing (lease expired and taken over by another "
                            + "instance); finishing the analysis anyway", sample.sha256());
                }
            } catch (RuntimeException e) {
                // The lease may still be alive at the next attempt; only an expiry loses it.
                warnUnlessUnreachable(e, "Sample {}: the lease could not be renewed: {}", sample.sha256(),
                        e.getMessage());
            }
        }

        void stop() {
            task.cancel(false);
        }
    }

    /**
     * A worker that waits for external work (a Cortex job, minutes) hands its place over: the
     * pool grows by one thread for the wait and shrinks after it, so a few workers keep many
     * jobs going. Workers are virtual threads, so a thousand waits cost little memory. At most
     * {@code queue_size} waits are compensated; beyond that a wait keeps its worker, which
     * slows intake rather than letting waits grow without bound.
     */
    private final class CompensatingWaits implements ExternalWaits {
        @Override
        public <T> T await(CompletableFuture<T> work, Duration patience)
                throws ExecutionException, TimeoutException, InterruptedException {
            boolean compensated = !work.isDone() && beginWait();
            try {
                return work.get(patience.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                if (compensated) {
                    endWait();
                }
            }
        }
    }

    private synchronized boolean beginWait() {
        if (compensatedWaits >= queueSize || workers.isShutdown()) {
            return false;
        }
        compensatedWaits++;
        // Growing: the maximum first, as the core size may never exceed it.
        workers.setMaximumPoolSize(workerCount + compensatedWaits);
        workers.setCorePoolSize(workerCount + compensatedWaits);
        return true;
    }

    private synchronized void endWait() {
        compensatedWaits--;
        // Shrinking: an idle extra thread ends; a busy one finishes its sample first.
        workers.setCorePoolSize(workerCount + compensatedWaits);
        workers.setMaximumPoolSize(workerCount + compensatedWaits);
    }

    /** Samples whose workers wait for external work right now. */
    public synchronized int externalWaits() {
        return compensatedWaits;
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

    private static ScheduledThreadPoolExecutor scheduler() {
        AtomicInteger counter = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "peekaboo-locks-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled renewals would otherwise stay queued until their next due time.
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queueCapacity) {
        AtomicInteger counter = new AtomicInteger();
        return pool(threads, queueCapacity, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static ThreadPoolExecutor pool(int threads, int queueCapacity, ThreadFactory threadFactory) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), threadFactory, new ThreadPoolExecutor.AbortPolicy());
    }
}
