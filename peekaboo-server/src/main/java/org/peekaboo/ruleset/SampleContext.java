package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.SampleVerdict;

/**
 * One sample while the ruleset judges it, with the reports rules compute on demand.
 * Confined to the thread that judges the sample, so the caches need no locking (the {@link Job}
 * is the engine's and may be recorded from elsewhere).
 */
public final class SampleContext {
    private final Sample sample;
    private final FileTypeDetector fileTypeDetector;
    private final Map<ReportSource<?>, Object> reports = new HashMap<>();
    private Job job;
    private ExternalWaits externalWaits;
    private FileTypeReport fileTypes;

    public SampleContext(Sample sample, long jobId, FileTypeDetector fileTypeDetector) {
        this(sample, jobId, fileTypeDetector, ExternalWaits.DIRECT);
    }

    public SampleContext(Sample sample, long jobId, FileTypeDetector fileTypeDetector, ExternalWaits externalWaits) {
        this.sample = Objects.requireNonNull(sample, "sample");
        this.job = Job.fixed(jobId);
        this.fileTypeDetector = Objects.requireNonNull(fileTypeDetector, "fileTypeDetector");
        this.externalWaits = Objects.requireNonNull(externalWaits, "externalWaits");
    }

    /**
     * The analysis of this sample has begun as job {@code jobId}; from now on its rules wait for
     * work done elsewhere through {@code waits}. What was looked up before stays cached.
     */
    public void analysedAs(long newJobId, ExternalWaits waits) {
        analysedAs(Job.fixed(newJobId), waits);
    }

    /**
     * The analysis of this sample is under way as {@code newJob}, which may be recorded only
     * when something needs its id; rules wait for work done elsewhere through {@code waits}.
     */
    public void analysedAs(Job newJob, ExternalWaits waits) {
        this.job = Objects.requireNonNull(newJob, "newJob");
        this.externalWaits = Objects.requireNonNull(waits, "waits");
    }

    /** How rules wait for work done elsewhere, such as a Cortex job. */
    public ExternalWaits externalWaits() {
        return externalWaits;
    }

    public Sample sample() {
        return sample;
    }

    /**
     * The stored analysis this judgement belongs to; records its start now if it is not recorded
     * yet. {@link SampleVerdict#NO_JOB} outside an analysis.
     *
     * @throws RuntimeException when the start cannot be recorded (the rule asking then fails)
     */
    public long jobId() {
        return job.id();
    }

    /** The stored analysis, if its start is recorded: what look-ups of other analyses leave out. */
    public long jobIdSoFar() {
        return job.idSoFar();
    }

    /** Detected file types, computed once per sample. */
    public FileTypeReport fileTypes() throws IOException {
        if (fileTypes == null) {
            fileTypes = fileTypeDetector.detect(sample);
        }
        return fileTypes;
    }

    /**
     * The report {@code source} computes for this sample, computed on first use and cached;
     * a failure is not cached, so a later rule may try again.
     */
    public <T> T report(ReportSource<T> source) throws Exception {
        @SuppressWarnings("unchecked")
        T cached = (T) reports.get(source);
        if (cached == null) {
            cached = Objects.requireNonNull(source.compute(this), () -> source.name() + " computed no report");
            reports.put(source, cached);
        }
        return cached;
    }
}
