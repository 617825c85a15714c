package org.peekaboo.analysis.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/**
 * A store in memory that can be told to fail, for engine tests without a database. It keeps
 * {@link AnalysisStoreContract} as the databases do, so that engine tests cannot count on what
 * no real store does; only what columns do (cutting values to their length, times to the
 * millisecond) is left out.
 */
public final class InMemoryAnalysisStore implements AnalysisStore {
    /** Worst first; among equally bad results the most recently finished, as the databases order them. */
    private static final Comparator<StoredAnalysis> WORST_LAST = Comparator.comparing(StoredAnalysis::result)
            .thenComparing(StoredAnalysis::finishedAt).thenComparingLong(StoredAnalysis::jobId);

    /** Far longer than any test runs, yet subtracted from now it stays within {@link Instant}'s range. */
    private static final Duration NEVER = ChronoUnit.MILLENNIA.getDuration().multipliedBy(1_000);

    private final String instanceId;
    private final Clock clock;
    private final Duration resultMaxAge;
    private final Map<Long, StoredAnalysis> analyses = new ConcurrentHashMap<>();
    private final AtomicLong nextJobId = new AtomicLong(1);
    private final AtomicBoolean failBegin = new AtomicBoolean();
    private final AtomicBoolean failFinish = new AtomicBoolean();
    private final AtomicInteger begun = new AtomicInteger();

    /**
     * A store of instance {@code test} whose results never age, so that engine tests need not
     * keep their clocks in step with it.
     */
    public InMemoryAnalysisStore() {
        this("test", Clock.systemUTC(), NEVER);
    }

    /**
     * A store that records analyses as {@code instanceId} and reuses results for
     * {@code resultMaxAge} after they finished, by {@code clock}, as the databases' stores do.
     */
    public InMemoryAnalysisStore(String instanceId, Clock clock, Duration resultMaxAge) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (resultMaxAge.isNegative() || resultMaxAge.isZero()) {
            throw new IllegalArgumentException("result max age must be positive, got " + resultMaxAge);
        }
        this.resultMaxAge = resultMaxAge;
    }

    public void failBegin(boolean fail) {
        failBegin.set(fail);
    }

    /** Outcomes cannot be stored: finishing a running analysis, and recording one at once. */
    public void failFinish(boolean fail) {
        failFinish.set(fail);
    }

    /** How many analyses were begun as running ones, rather than recorded finished at once. */
    public int begun() {
        return begun.get();
    }

    public List<StoredAnalysis> all() {
        return analyses.values().stream().sorted(Comparator.comparingLong(StoredAnalysis::jobId)).toList();
    }

    @Override
    public long begin(Sample sample, Instant startedAt) {
        if (failBegin.get()) {
            throw new StoreException("begin failed on purpose", null);
        }
        begun.incrementAndGet();
        long jobId = nextJobId.getAndIncrement();
        analyses.put(jobId, new StoredAnalysis(jobId, sample.identity(), sample.sha256(), sample.size(),
                sample.nameDeclared(), sample.typeDeclared(), sample.contentDisposition(), State.RUNNING,
                Result.UNCHECKED, null, List.of(), instanceId, startedAt, null));
        return jobId;
    }

    /**
     * Finishes a running analysis once, as the databases do: an unknown or finished job, or
     * another job's verdict, fails rather than overwrite a verdict others may have been judged by.
     */
    @Override
    public void finish(long jobId, SampleVerdict verdict, Instant finishedAt) {
        String operation = "Cannot record the outcome of job " + jobId + ": ";
        if (failFinish.get()) {
            throw new StoreException("finish failed on purpose", null);
        }
        if (verdict.jobId() != 0 && verdict.jobId() != jobId) {
            throw new StoreException(operation + "the verdict belongs to job " + verdict.jobId(), null);
        }
        StoredAnalysis[] before = new StoredAnalysis[1];
        analyses.computeIfPresent(jobId, (id, current) -> {
            before[0] = current;
            return current.state() != State.RUNNING ? current : new StoredAnalysis(id, current.identity(),
                    current.sha256(), current.fileSize(), current.nameDeclared(), current.typeDeclared(),
                    current.contentDisposition(), State.FINISHED, verdict.result(), verdict.reason(),
                    verdict.report(), current.instanceId(), current.createdAt(), finishedAt);
        });
        if (before[0] == null) {
            throw new StoreException(operation + "there is no such analysis", null);
        }
        if (before[0].state() != State.RUNNING) {
            throw new StoreException(operation + "it was already finished at " + before[0].finishedAt()
                    + " with result " + before[0].result().label(), null);
        }
    }

    @Override
    public long record(Sample sample, SampleVerdict verdict, Instant startedAt, Instant finishedAt) {
        if (failBegin.get() || failFinish.get()) {
            throw new StoreException("record failed on purpose", null);
        }
        long jobId = nextJobId.getAndIncrement();
        analyses.put(jobId, new StoredAnalysis(jobId, sample.identity(), sample.sha256(), sample.size(),
                sample.nameDeclared(), sample.typeDeclared(), sample.contentDisposition(), State.FINISHED,
                verdict.result(), verdict.reason(), verdict.report(), instanceId, startedAt, finishedAt));
        return jobId;
    }

    @Override
    public Optional<StoredAnalysis> find(long jobId) {
        return Optional.ofNullable(analyses.get(jobId));
    }

    @Override
    public Optional<StoredResult> worstFinished(String identity, long excludingJobId) {
        return usable(identity, excludingJobId).max(WORST_LAST).map(InMemoryAnalysisStore::storedResult);
    }

    @Override
    public Optional<History> history(String identity, long excludingJobId) {
        return History.of(usable(identity, excludingJobId).map(InMemoryAnalysisStore::storedResult).toList());
    }

    /** The analyses the known look-ups consider: see {@link org.peekaboo.ruleset.KnownResults#worstFinished}. */
    private Stream<StoredAnalysis> usable(String identity, long excludingJobId) {
        Instant oldestUsable = clock.instant().minus(resultMaxAge);
        return analyses.values().stream()
                .filter(a -> a.identity().equals(identity) && a.jobId() != excludingJobId)
                .filter(a -> a.state() == State.FINISHED && a.result() != Result.FAILED
                        && a.result() != Result.UNCHECKED)
                .filter(a -> !a.finishedAt().isBefore(oldestUsable));
    }

    private static StoredResult storedResult(StoredAnalysis analysis) {
        return new StoredResult(analysis.jobId(), analysis.result(), analysis.reason(), analysis.finishedAt());
    }

    @Override
    public void close() {
    }
}
