package org.peekaboo.analysis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.peekaboo.ruleset.ExternalWaits;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Undecided;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one sample in sequence and records it: the ruleset runs, the result is stored. A verdict that cannot be stored never passes: without a stored
 * result the retry could not be answered from the store either.
 */
final class Judge {
    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);

    /**
     * How long an analysis may run before it is recorded as running: most end within
     * milliseconds and are written once, finished; a longer one is shown in the store while it
     * runs, as it was before the client's deadline answered the mail unchecked.
     */
    static final Duration SHOWN_AS_RUNNING_AFTER = Duration.ofSeconds(1);

    private final Ruleset ruleset;
    private final AnalysisStore store;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AnalysisEvents events;

    Judge(Ruleset ruleset, AnalysisStore store, Clock clock, ScheduledExecutorService timer, AnalysisEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        this.ruleset = Objects.requireNonNull(ruleset, "ruleset");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /**
     * Runs the ruleset on the sample of {@code context} as a new analysis and stores the result.
     * The analysis is written once, finished, unless its job id is needed before: by an
     * expression that asks for it, before a rule waits for work done elsewhere (minutes of a
     * Cortex job), or after {@link #SHOWN_AS_RUNNING_AFTER}; the running analysis is then
     * visible in the store until it is finished.
     */
    SampleVerdict judge(SampleContext context, ExternalWaits waits) {
        Sample sample = context.sample();
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        RunningJob job = new RunningJob(() -> store.begin(sample, startedAt));
        context.analysedAs(job, new BegunBeforeWaiting(context, waits));
        ScheduledFuture<?> shown = timer.schedule(() -> showAsRunning(job, sample),
                SHOWN_AS_RUNNING_AFTER.toNanos(), TimeUnit.NANOSECONDS);
        SampleVerdict verdict;
        try {
            verdict = ruleset.run(context);
        } finally {
            shown.cancel(false);
            events.stageTook(AnalysisEvents.Stage.RULES, Duration.ofNanos(System.nanoTime() - started));
        }
        long jobId = job.end();
        long storing = System.nanoTime();
        try {
            if (jobId == SampleVerdict.NO_JOB) {
                verdict = verdict.withJobId(store.record(sample, verdict, startedAt, clock.instant()));
            } else {
                store.finish(jobId, verdict, clock.instant());
            }
            events.stageTook(AnalysisEvents.Stage.STORE, Duration.ofNanos(System.nanoTime() - storing));
        } catch (RuntimeException e) {
            events.databaseFailed(AnalysisEvents.DatabaseOperation.STORE);
            StoreFailures.warnUnlessUnreachable(LOG, e, "Result of sample {} (job {}) could not be stored: {}",
                    sample.sha256(), jobId, e.getMessage());
            // Without a stored result the retry could not be answered from the store, so only a
            // verdict that blocks the mail may stand.
            verdict = verdict.followedBy(Undecided.STORE.ruleResult(e.getMessage()));
        }
        log(sample, verdict, started);
        return verdict;
    }

    /** On a thread of its own: the store may be slow, and the timer serves every analysis. */
    private static void showAsRunning(RunningJob job, Sample sample) {
        Thread.ofVirtual().name("peekaboo-running-job").start(() -> {
            try {
                job.id();
            } catch (RuntimeException e) {
                // The analysis is written finished when it ends, or fails then.
                LOG.debug("Sample {}: the running analysis could not be recorded: {}", sample.sha256(), e.toString());
            }
        });
    }

    /** Records the running analysis before a rule waits for work done elsewhere, then waits. */
    private record BegunBeforeWaiting(SampleContext context, ExternalWaits waits) implements ExternalWaits {
        @Override
        public <T> T await(CompletableFuture<T> work, Duration patience)
                throws ExecutionException, TimeoutException, InterruptedException {
            if (!work.isDone()) {
                context.jobId();
            }
            return waits.await(work, patience);
        }
    }

    /**
     * Records a sample that earlier results decided, as a finished analysis of its own: one
     * statement, and no lock, since reading a finished result races with nothing.
     */
    SampleVerdict record(Sample sample, SampleVerdict known) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        SampleVerdict verdict;
        try {
            verdict = known.withJobId(store.record(sample, known, now, now));
            events.stageTook(AnalysisEvents.Stage.STORE, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            events.databaseFailed(AnalysisEvents.DatabaseOperation.STORE);
            StoreFailures.warnUnlessUnreachable(LOG, e,
                    "Sample {}: the answer from an earlier result could not be recorded: {}", sample.sha256(),
                    e.getMessage());
            return Undecided.STORE.verdict(e.getMessage());
        }
        log(sample, verdict, started);
        return verdict;
    }

    private static void log(Sample sample, SampleVerdict verdict, long startedNanos) {
        if (LOG.isInfoEnabled()) {
            LOG.info(SampleLogLine.of(sample, verdict, Duration.ofNanos(System.nanoTime() - startedNanos)));
        }
    }
}
