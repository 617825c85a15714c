package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.SampleVerdict;

/**
 * One sample while the ruleset judges it, with the reports rules compute on demand.
 * Confined to the thread that judges the sample, so the caches need no locking.
 */
public final class SampleContext {
    private final Sample sample;
    private final FileTypeDetector fileTypeDetector;
    private final Map<ReportSource<?>, Object> reports = new HashMap<>();
    private long jobId;
    private LongSupplier beginJob;
    private ExternalWaits externalWaits;
    private FileTypeReport fileTypes;

    public SampleContext(Sample sample, long jobId, FileTypeDetector fileTypeDetector) {
        this(sample, jobId, fileTypeDetector, ExternalWaits.DIRECT);
    }

    public SampleContext(Sample sample, long jobId, FileTypeDetector fileTypeDetector, ExternalWaits externalWaits) {
        this.sample = Objects.requireNonNull(sample, "sample");
        this.jobId = jobId;
        this.fileTypeDetector = Objects.requireNonNull(fileTypeDetector, "fileTypeDetector");
        this.externalWaits = Objects.requireNonNull(externalWaits, "externalWaits");
    }

    /**
     * The analysis of this sample has begun as job {@code jobId}; from now on its rules wait for
     * work done elsewhere through {@code waits}. What was looked up before stays cached.
     */
    public void analysedAs(long newJobId, ExternalWaits waits) {
        this.jobId = newJobId;
        this.beginJob = null;
        this.externalWaits = Objects.requireNonNull(waits, "waits");
    }

    /**
     * The analysis of this sample is under way, but its job is recorded only when something needs
     * its id ({@link #jobId()}): most analyses end before, and are then recorded once, finished.
     * Rules wait for work done elsewhere through {@code waits}.
     */
    public void analysedFromNow(LongSupplier begin, ExternalWaits waits) {
        this.jobId = SampleVerdict.NO_JOB;
        this.beginJob = Objects.requireNonNull(begin, "begin");
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
        if (jobId == SampleVerdict.NO_JOB && beginJob != null) {
            jobId = beginJob.getAsLong();
            beginJob = null;
        }
        return jobId;
    }

    /** The stored analysis, if its start is recorded: what look-ups of other analyses leave out. */
    public long jobIdSoFar() {
        return jobId;
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
