package org.peekaboo.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.analysis.Admission.Permit;
import org.peekaboo.analysis.Admission.Refused;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.ContainerFormat;
import org.peekaboo.expansion.Expander;
import org.peekaboo.expansion.Expansion;
import org.peekaboo.expansion.ExpansionBudget;
import org.peekaboo.expansion.Finding;
import org.peekaboo.expansion.Member;
import org.peekaboo.expansion.Passwords;
import org.peekaboo.ruleset.ExternalWaits;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.PathText;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleChangedException;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleSource;
import org.peekaboo.sample.SampleTooLargeException;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.peekaboo.verdict.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Judges the samples of all requests, each on a virtual thread of its own that reads top to
 * bottom (see {@link #verdictOf}): read the file once into a private snapshot and hash it (a file
 * named several times in a request is read once; see {@link RequestFiles}); answer it from earlier results if the
 * ruleset starts with {@code known}; otherwise claim its identity in this process (identical
 * samples in flight are judged once), take its cluster-wide lock (waiting while another instance
 * holds it), take a worker permit (refused at once when the sample could not be judged before
 * its client stops waiting), run the ruleset and store the result, then release the lock. A file
 * that is a whole message or an archive is then opened, and each of its members takes the same
 * path as a sample of its own ({@link #judgeWithMembers}).
 *
 * <p>Threads cost nothing while they wait: for another sample, for another instance, for a
 * permit, for Cortex (the permit is given back meanwhile). The permits bound what computes;
 * {@value #CONCURRENT_READS} files at most are read at once.
 *
 * <p>Every judgement is recorded before it is published, so a request that arrives afterwards
 * finds it through the {@code known} rule; that is also how a request whose client stopped
 * waiting gets its verdict on the retry. Whatever fails, a sample ends {@code unchecked} or
 * {@code failed}, never passed.
 */
public final class AnalysisEngine implements ScanService, EngineLoad, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisEngine.class);
    /**
     * What a client is told of a file that was swapped or changed after the path check: the same
     * for every cause, like the path check's rejection, so it reveals nothing about other files.
     */
    static final String CHANGED = "the file changed while being read";
    /**
     * How long {@link #close(Duration)} waits for interrupted analyses to store their failure and
     * release their locks themselves, beyond the grace; one that ignores the interrupt is left behind.
     */
    static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(2);
    /**
     * Files read at the same time. Reading a file holds its carrier thread (the JDK adds carriers
     * for such reads), so a request of a thousand parts must not read them all at once.
     */
    static final int CONCURRENT_READS = 16;
    /**
     * Members of one container judged at the same time. The worker permits bound what computes, but a
     * waiting virtual thread keeps its stack on the heap; a thousand members waiting for three workers
     * would hold that memory for nothing, and the order in which members finish would be arbitrary.
     */
    static final int MEMBERS_AT_ONCE = 16;

    private final Ruleset ruleset;
    private final SampleSource samples;
    private final AllowedDirectories allowedDirectories;
    private final Expander expander;
    private final Judge judge;
    private final Admission admission;
    private final InFlight inFlight = new InFlight();
    private final Semaphore reads = new Semaphore(CONCURRENT_READS, true);
    private final ClusterLock clusterLock;
    /** Lease renewals, the waiters' polling and the judge's timers: short work, no analysis. */
    private final ScheduledThreadPoolExecutor scheduler;
    private final SampleThreads threads = new SampleThreads();
    private final Set<ScanJob> open = ConcurrentHashMap.newKeySet();
    private final AnalysisEvents events;
    private final UnderWay underWay = new UnderWay(System::nanoTime);

    public AnalysisEngine(Ruleset ruleset, AnalysisStore store, SampleLocks locks, SampleSource samples,
                          AllowedDirectories allowedDirectories, Expander expander, AnalysisSettings settings,
                          ClusterSettings cluster, Clock clock) {
        this(ruleset, store, locks, samples, allowedDirectories, expander, settings, cluster, clock, AnalysisEvents.NONE);
    }

    /** @param events told what happens to every sample (the daemon's metrics) */
    public AnalysisEngine(Ruleset ruleset, AnalysisStore store, SampleLocks locks, SampleSource samples,
                          AllowedDirectories allowedDirectories, Expander expander, AnalysisSettings settings,
                          ClusterSettings cluster, Clock clock, AnalysisEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        this.ruleset = Objects.requireNonNull(ruleset, "ruleset");
        this.samples = Objects.requireNonNull(samples, "samples");
        this.allowedDirectories = Objects.requireNonNull(allowedDirectories, "allowedDirectories");
        this.expander = Objects.requireNonNull(expander, "expander");
        this.admission = new Admission(settings.workerCount(), System::nanoTime);
        this.scheduler = scheduler();
        this.judge = new Judge(ruleset, store, clock, scheduler, events);
        this.clusterLock = new ClusterLock(locks, clock, cluster, scheduler);
    }

    @Override
    public ScanJob start(List<SampleDeclaration> declarations, Duration patience) {
        List<SampleDeclaration> files = List.copyOf(declarations);
        long deadline = System.nanoTime() + patience.toNanos();
        ScanJob job = new ScanJob(files.size());
        // The front end's logging context (client, connection) goes with the request.
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (!fork(() -> judgeAll(job, files, deadline), context)) {
            job.decideRest(Undecided.SHUTDOWN.verdict());
            return job;
        }
        open.add(job);
        job.done().whenComplete((judged, failure) -> open.remove(job));
        return job;
    }

    /**
     * Checks every path first (one bad path refuses the request), then judges the files side by side;
     * a file the request names more than once is read once.
     */
    private void judgeAll(ScanJob job, List<SampleDeclaration> files, long deadline) {
        List<CheckedFile> checked = new ArrayList<>(files.size());
        try {
            for (SampleDeclaration file : files) {
                checked.add(allowedDirectories.check(file.fullName()));
            }
        } catch (RuntimeException e) {
            // A rejection's message is for the client; anything else is the engine's fault.
            job.reject(e);
            return;
        }
        RequestFiles contents = new RequestFiles(checked, samples, reads, deadline);
        Passwords passwords = RequestWords.passwords(job, files, checked, contents, expander.settings());
        Map<String, String> context = MDC.getCopyOfContextMap();
        int last = files.size() - 1;
        for (int i = 0; i < last; i++) {
            int index = i;
            if (!fork(() -> decide(job, index, files.get(index), checked.get(index), contents, passwords, deadline),
                    context)) {
                contents.release(checked.get(index));
                job.decide(index, JudgedSample.undecided(Undecided.SHUTDOWN.verdict()));
            }
        }
        decide(job, last, files.get(last), checked.get(last), contents, passwords, deadline);
    }

    /** Decides file {@code index} of the job, also when judging it ends in an error that is rethrown. */
    private void decide(ScanJob job, int index, SampleDeclaration declaration, CheckedFile file,
                        RequestFiles contents, Passwords passwords, long deadline) {
        JudgedSample judged = JudgedSample.undecided(Undecided.CRASH.verdict("the file's judgement ended"));
        try {
            judged = judge(declaration, file, contents, passwords, deadline);
        } catch (Error e) {
            judged = JudgedSample.undecided(Undecided.CRASH.verdict(e.toString()));
            throw e;
        } finally {
            // Released first, so that a request whose answer is out has left no snapshot behind.
            contents.release(file);
            job.decide(index, judged);
        }
    }

    /** One file. Never throws: whatever happens, the file gets a verdict. */
    private JudgedSample judge(SampleDeclaration declaration, CheckedFile file, RequestFiles contents,
                               Passwords passwords, long deadline) {
        Sample sample;
        long readStarted = System.nanoTime();
        try {
            sample = Sample.of(contents.content(file), declaration);
        } catch (InterruptedException e) {
            return unread(Undecided.SHUTDOWN.verdict(), AnalysisEvents.Origin.NOT_JUDGED);
        } catch (SampleTooLargeException e) {
            LOG.info("Sample {} not read: {}", PathText.quoted(file.realPath()), e.getMessage());
            return unread(Undecided.TOO_LARGE.verdict(e.getMessage()), AnalysisEvents.Origin.UNREAD);
        } catch (SampleChangedException e) {
            LOG.warn("Sample {} changed while being read: {}", PathText.quoted(file.realPath()), e.getMessage());
            return unread(Undecided.INPUT.verdict(CHANGED), AnalysisEvents.Origin.UNREAD);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not read sample {}: {}", PathText.quoted(file.realPath()), e.toString());
            return unread(Undecided.INPUT.verdict(e.getMessage()), AnalysisEvents.Origin.UNREAD);
        }
        events.stageTook(AnalysisEvents.Stage.READ, Duration.ofNanos(System.nanoTime() - readStarted));
        MDC.put("sample", sample.sha256());
        try {
            return judgeWithMembers(sample, 0, passwords, expander.newBudget(), deadline);
        } catch (InterruptedException e) {
            return new JudgedSample(sample, Undecided.SHUTDOWN.verdict());
        } catch (RuntimeException | Error e) {
            // Last line of defence: whatever happened, the client gets an undecided answer.
            LOG.error("Judging sample {} crashed", sample.sha256(), e);
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
                throw error;
            }
            return new JudgedSample(sample, Undecided.CRASH.verdict(e.toString()));
        } finally {
            MDC.remove("sample");
        }
    }

    private JudgedSample unread(SampleVerdict verdict, AnalysisEvents.Origin origin) {
        events.sampleDecided(verdict, origin);
        return JudgedSample.undecided(verdict);
    }

    /**
     * A sample, then, when it is a container Peekaboo opens (a whole message, an archive), each of its
     * members the same way, side by side: every member is a sample of its own, judged, stored and known
     * like any other. The container's verdict is the worst of its own and its members'. A container
     * its own rules found bad is not opened: nothing inside can make it worse.
     *
     * @param depth  how many containers this sample is inside; 0 for a file a client named
     * @param budget the limits of the whole file the client named, shared by everything inside it
     */
    private JudgedSample judgeWithMembers(Sample sample, int depth, Passwords passwords, ExpansionBudget budget,
                                          long deadline) throws InterruptedException {
        SampleVerdict own = verdictOf(sample, deadline);
        if (own.verdict() == Verdict.BAD) {
            return new JudgedSample(sample, own);
        }
        ExpansionSettings settings = expander.settings();
        Optional<ContainerFormat> format;
        try {
            format = detectContainer(ruleset, expander, sample);
        } catch (IOException | RuntimeException e) {
            // Not knowing whether it holds members is no reason to pass it: undecided, the retry tells.
            LOG.warn("Sample {} ({}) not opened: its type could not be detected: {}", sample.sha256(),
                    sample.declaredPath(), e.toString());
            Finding unknown = Finding.undecided("whether it is a container could not be told: " + e.getMessage());
            return ContainerVerdict.of(sample, ContainerVerdict.withFindings(own, List.of(unknown), settings),
                    List.of());
        }
        if (format.isEmpty()) {
            return new JudgedSample(sample, own);
        }
        if (depth >= settings.maxDepth()) {
            Finding tooDeep = new Finding(Finding.Kind.DEPTH, "containers nested more than " + settings.maxDepth()
                    + " deep (max_depth); \"" + sample.declaredPath() + "\" is not opened");
            return ContainerVerdict.of(sample, ContainerVerdict.withFindings(own, List.of(tooDeep), settings), List.of());
        }
        Expansion expansion = expander.expand(sample.content(), format.get(), sample.nameDeclared(), passwords, budget);
        LOG.debug("Sample {} is a {} of {} members{}", sample.sha256(), format.get(), expansion.members().size(),
                expansion.findings().isEmpty() ? "" : "; " + expansion.findings());
        List<JudgedSample> members = judgeMembers(sample, expansion.members(), depth + 1,
                passwords.withWords(expansion.words(), settings.maxPasswordWords()), budget, deadline);
        return ContainerVerdict.of(sample, ContainerVerdict.withFindings(own, expansion.findings(), settings), members);
    }

    /**
     * Judges the members of {@code container} each on a thread of its own, {@value #MEMBERS_AT_ONCE} at a
     * time; each member's content is closed after.
     */
    private List<JudgedSample> judgeMembers(Sample container, List<Member> members, int depth, Passwords passwords,
                                            ExpansionBudget budget, long deadline) throws InterruptedException {
        List<CompletableFuture<JudgedSample>> judged = new ArrayList<>(members.size());
        Map<String, String> context = MDC.getCopyOfContextMap();
        Semaphore window = new Semaphore(MEMBERS_AT_ONCE);
        boolean interrupted = false;
        for (int i = 0; i < members.size(); i++) {
            Member member = members.get(i);
            Sample sample = container.member(member.content(), i + 1, member.path(), member.typeDeclared(),
                    member.contentDisposition());
            CompletableFuture<JudgedSample> result = new CompletableFuture<>();
            judged.add(result);
            boolean started = false;
            if (!interrupted) {
                try {
                    window.acquire();
                    started = fork(() -> {
                        JudgedSample outcome = new JudgedSample(sample,
                                Undecided.CRASH.verdict("the member's judgement ended"));
                        try {
                            outcome = judgeMember(sample, depth, passwords, budget, deadline);
                        } finally {
                            window.release();
                            result.complete(outcome);
                        }
                    }, context);
                    if (!started) {
                        window.release();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!started) {
                closeContent(sample);
                result.complete(new JudgedSample(sample, Undecided.SHUTDOWN.verdict()));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<JudgedSample> all = new ArrayList<>(judged.size());
        for (CompletableFuture<JudgedSample> member : judged) {
            try {
                all.add(member.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a member's result is always completed normally", e);
            }
        }
        return all;
    }

    private JudgedSample judgeMember(Sample sample, int depth, Passwords passwords, ExpansionBudget budget,
                                     long deadline) {
        MDC.put("sample", sample.sha256());
        try {
            return judgeWithMembers(sample, depth, passwords, budget, deadline);
        } catch (InterruptedException e) {
            return new JudgedSample(sample, Undecided.SHUTDOWN.verdict());
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("Judging member {} of {} crashed", sample.sha256(), sample.declaredPath(), e);
            return new JudgedSample(sample, Undecided.CRASH.verdict(e.toString()));
        } finally {
            closeContent(sample);
        }
    }

    /** The container format of {@code sample}, if it is one Peekaboo opens. */
    private static Optional<ContainerFormat> detectContainer(Ruleset ruleset, Expander expander, Sample sample)
            throws IOException {
        if (!expander.settings().enabled()) {
            return Optional.empty();
        }
        return expander.formatOf(ruleset.newContext(sample).fileTypes().typeByContent(), sample.typeDeclared(),
                sample.content());
    }

    /** As {@link #detectContainer}, empty when the type cannot be detected: for warming up, where nothing is judged. */
    static Optional<ContainerFormat> containerFormat(Ruleset ruleset, Expander expander, Sample sample) {
        try {
            return detectContainer(ruleset, expander, sample);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Type of sample {} not detected, so it is not opened: {}", sample.sha256(), e.toString());
            return Optional.empty();
        }
    }

    private static void closeContent(Sample sample) {
        try {
            sample.content().close();
        } catch (IOException e) {
            LOG.warn("Could not delete the snapshot of member {}: {}", sample.declaredPath(), e.toString());
        }
    }

    /** Judged once per identity in this process: a sample whose twin is being judged waits for its verdict. */
    private SampleVerdict verdictOf(Sample sample, long deadline) throws InterruptedException {
        InFlight.Claim claim = inFlight.claim(sample.identity());
        if (!claim.first()) {
            return decided(claim.await(), AnalysisEvents.Origin.DUPLICATE);
        }
        SampleVerdict verdict = Undecided.SHUTDOWN.verdict();
        long ticket = underWay.begin();
        try {
            verdict = decide(sample, deadline);
            return verdict;
        } catch (RuntimeException | Error e) {
            verdict = decided(Undecided.CRASH.verdict(e.toString()), AnalysisEvents.Origin.NOT_JUDGED);
            throw e;
        } finally {
            underWay.end(ticket);
            inFlight.settle(claim, verdict);
        }
    }

    /** The sample's way through earlier results, its lock and the ruleset. */
    private SampleVerdict decide(Sample sample, long deadline) throws InterruptedException {
        SampleContext context = ruleset.newContext(sample);
        Optional<SampleVerdict> known = ruleset.decideFromEarlierResults(context);
        boolean waited = false;
        while (known.isEmpty()) {
            Optional<ClusterLock.Held> lock;
            try {
                lock = clusterLock.tryTake(sample);
            } catch (RuntimeException e) {
                StoreFailures.warnUnlessUnreachable(LOG, e, "Sample {} not analysed: its lock could not be taken: {}",
                        sample.sha256(), e.getMessage());
                events.databaseFailed(AnalysisEvents.DatabaseOperation.LOCK);
                return decided(Undecided.LOCK.verdict(e.getMessage()), AnalysisEvents.Origin.NOT_JUDGED);
            }
            if (lock.isPresent()) {
                try (ClusterLock.Held held = lock.get()) {
                    if (clusterLock.othersMayHaveFinished()) {
                        context = ruleset.newContext(sample);
                        known = ruleset.decideFromEarlierResults(context);
                        if (known.isPresent()) {
                            break;
                        }
                    }
                    if (waited) {
                        // The other instance let the lock go without a result (released after a failure, or
                        // its lease ran out): this instance takes the analysis over.
                        events.lockTakenOver();
                    }
                    return decided(judgeUnderLock(context, deadline), AnalysisEvents.Origin.JUDGED);
                }
            }
            long waitStarted = System.nanoTime();
            boolean released = clusterLock.awaitRelease(sample);
            events.lockWaited(Duration.ofNanos(System.nanoTime() - waitStarted));
            if (!released) {
                return decided(Undecided.SHUTDOWN.verdict(), AnalysisEvents.Origin.NOT_JUDGED);
            }
            waited = true;
            context = ruleset.newContext(sample);
            known = ruleset.decideFromEarlierResults(context);
        }
        return decided(judge.record(sample, known.get()), AnalysisEvents.Origin.KNOWN);
    }

    private SampleVerdict decided(SampleVerdict verdict, AnalysisEvents.Origin origin) {
        events.sampleDecided(verdict, origin);
        return verdict;
    }

    private SampleVerdict judgeUnderLock(SampleContext context, long deadline) throws InterruptedException {
        try (Permit permit = admission.enter(deadline)) {
            return judge.judge(context, new PermitReleasingWaits(permit));
        } catch (Refused refused) {
            LOG.debug("Sample {} refused: {}", context.sample().sha256(), refused.getMessage());
            return refused.verdict();
        }
    }

    /** A rule that waits for work done elsewhere (a Cortex job, minutes) gives its permit back meanwhile. */
    private record PermitReleasingWaits(Permit permit) implements ExternalWaits {
        @Override
        public <T> T await(CompletableFuture<T> work, Duration patience)
                throws ExecutionException, TimeoutException, InterruptedException {
            if (work.isDone()) {
                return work.get();
            }
            permit.suspend();
            try {
                return work.get(patience.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                permit.resume();
            }
        }
    }

    /**
     * Runs the first steps of a sample's way on a few samples of its own, recording nothing, so that
     * class loading does not fall on the first mail; see {@link WarmUp}.
     */
    public void warmUp() {
        new WarmUp(samples, ruleset, expander).run();
    }

    /** Samples waiting for a worker permit right now. */
    @Override
    public int waitingForPermits() {
        return admission.waiting();
    }

    /** Samples waiting for another instance's lock right now. */
    @Override
    public int waitingForOtherInstances() {
        return clusterLock.waiting();
    }

    @Override
    public int samplesInFlight() {
        return underWay.count();
    }

    @Override
    public Duration oldestInFlight() {
        return underWay.oldest();
    }

    /** Starts {@code task} on a virtual thread of its own, or returns false when the engine stops. */
    private boolean fork(Runnable task, Map<String, String> context) {
        return threads.start(task, context);
    }

    /**
     * Stops taking requests and lets the samples under way finish within {@code grace} (their
     * results are stored); samples waiting for another instance are answered at once, as that wait
     * could outlast any grace. Then the rest are interrupted and answered unchecked. Finally this
     * instance's lock rows are released, so that other instances can take the samples over at once.
     * Returns within {@code grace} plus {@link #INTERRUPTED_WAIT} and the time the release takes.
     */
    public void close(Duration grace) {
        if (!threads.stop()) {
            return;
        }
        clusterLock.stopWaiting();
        try {
            if (!threads.awaitAll(System.nanoTime() + grace.toNanos())) {
                int interrupted = threads.interruptAll();
                LOG.warn("Shutdown grace of {} ms over: {} analyses interrupted; their requests are answered "
                        + "unchecked", grace.toMillis(), interrupted);
                // An interrupted analysis records its failure and releases its own lock; waiting for that
                // keeps the store's connections from being closed under it.
                if (!threads.awaitAll(System.nanoTime() + INTERRUPTED_WAIT.toNanos())) {
                    LOG.warn("{} analyses ignored the interrupt for {} ms; their requests are answered unchecked "
                            + "and their locks released anyway", threads.running(), INTERRUPTED_WAIT.toMillis());
                }
            }
        } catch (InterruptedException e) {
            threads.interruptAll();
            Thread.currentThread().interrupt();
        } finally {
            // A verdict they might still give later is ignored: each file is decided once.
            SampleVerdict shuttingDown = Undecided.SHUTDOWN.verdict();
            inFlight.abandonAll(shuttingDown);
            open.forEach(job -> job.decideRest(shuttingDown));
            scheduler.shutdownNow();
            clusterLock.releaseAll();
        }
    }

    /** Closes without grace: what runs is interrupted at once. The daemon gives its shutdown grace instead. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        AtomicInteger counter = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "peekaboo-locks-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled renewals would otherwise stay queued until their next due time.
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }
}
