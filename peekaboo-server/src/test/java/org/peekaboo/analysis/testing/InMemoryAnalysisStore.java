package org.peekaboo.analysis.testing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/** A store in memory that can be told to fail, for engine tests without a database. */
public final class InMemoryAnalysisStore implements AnalysisStore {
    private final Map<Long, StoredAnalysis> analyses = new ConcurrentHashMap<>();
    private final AtomicLong nextJobId = new AtomicLong(1);
    private final AtomicBoolean failBegin = new AtomicBoolean();
    private final AtomicBoolean failFinish = new AtomicBoolean();

    public void failBegin(boolean fail) {
        failBegin.set(fail);
    }

    public void failFinish(boolean fail) {
        failFinish.set(fail);
    }

    public List<StoredAnalysis> all() {
        return analyses.values().stream().sorted(Comparator.comparingLong(StoredAnalysis::jobId)).toList();
    }

    @Override
    public long begin(Sample sample, Instant startedAt) {
        if (failBegin.get()) {
            throw new StoreException("begin failed on purpose", null);
        }
        long jobId = nextJobId.getAndIncrement();
        analyses.put(jobId, new StoredAnalysis(jobId, sample.identity(), sample.sha256(), sample.size(),
                sample.nameDeclared(), sample.typeDeclared(), sample.contentDisposition(), State.RUNNING,
                Result.UNCHECKED, null, List.of(), "test", startedAt, null));
        return jobId;
    }

    @Override
    public void finish(long jobId, SampleVerdict verdict, Instant finishedAt) {
        if (failFinish.get()) {
            throw new StoreException("finish failed on purpose", null);
        }
        analyses.computeIfPresent(jobId, (id, running) -> new StoredAnalysis(id, running.identity(),
                running.sha256(), running.fileSize(), running.nameDeclared(), running.typeDeclared(),
                running.contentDisposition(), State.FINISHED, verdict.result(), verdict.reason(), verdict.report(),
                running.instanceId(), running.createdAt(), finishedAt));
    }

    @Override
    public long record(Sample sample, SampleVerdict verdict, Instant startedAt, Instant finishedAt) {
        if (failBegin.get()) {
            throw new StoreException("record failed on purpose", null);
        }
        long jobId = nextJobId.getAndIncrement();
        analyses.put(jobId, new StoredAnalysis(jobId, sample.identity(), sample.sha256(), sample.size(),
                sample.nameDeclared(), sample.typeDeclared(), sample.contentDisposition(), State.FINISHED,
                verdict.result(), verdict.reason(), verdict.report(), "test", startedAt, finishedAt));
        return jobId;
    }

    @Override
    public Optional<StoredAnalysis> find(long jobId) {
        return Optional.ofNullable(analyses.get(jobId));
    }

    @Override
    public Optional<StoredResult> worstFinished(String identity, long excludingJobId) {
        return analyses.values().stream()
                .filter(a -> a.identity().equals(identity) && a.jobId() != excludingJobId)
                .filter(a -> a.state() == State.FINISHED && a.result() != Result.FAILED)
                .max(Comparator.comparing(StoredAnalysis::result).thenComparingLong(StoredAnalysis::jobId))
                .map(a -> new StoredResult(a.jobId(), a.result(), a.reason(), a.finishedAt()));
    }

    @Override
    public Optional<History> history(String identity, long excludingJobId) {
        return History.of(analyses.values().stream()
                .filter(a -> a.identity().equals(identity) && a.jobId() != excludingJobId)
                .filter(a -> a.state() == State.FINISHED && a.result() != Result.FAILED
                        && a.result() != Result.UNCHECKED)
                .map(a -> new StoredResult(a.jobId(), a.result(), a.reason(), a.finishedAt()))
                .toList());
    }

    @Override
    public void close() {
    }
}
