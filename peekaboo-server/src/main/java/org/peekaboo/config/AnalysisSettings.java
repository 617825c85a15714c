package org.peekaboo.config;

/**
 * How much judging happens at once, and how large a sample may be.
 *
 * @param workerCount   samples whose rules compute at the same time ({@code [global] worker_count});
 *                      samples waiting for other work (Cortex, another instance) do not count
 * @param maxSampleSize largest file read as a sample, in bytes ({@code [analysis] max_sample_size});
 *                      a larger one is answered {@code unchecked} without being read
 */
public record AnalysisSettings(int workerCount, long maxSampleSize) {
    public static final int DEFAULT_WORKER_COUNT = 3;
    public static final int MIN_WORKER_COUNT = 1;
    public static final int MAX_WORKER_COUNT = 256;
    /**
     * Above any attachment an MTA accepts in practice (Postfix's default message limit is 10 MB,
     * large providers take 25 to 50 MB), so real mail never meets it; it stops a file that never
     * ends, or one of gigabytes, from holding a worker.
     */
    public static final long DEFAULT_MAX_SAMPLE_SIZE = 256L * 1024 * 1024;
    public static final long MIN_MAX_SAMPLE_SIZE = 1024;
    public static final long MAX_MAX_SAMPLE_SIZE = 64L * 1024 * 1024 * 1024;

    public AnalysisSettings {
        Checks.inRange("worker count", workerCount, MIN_WORKER_COUNT, MAX_WORKER_COUNT);
        Checks.inRange("max sample size", maxSampleSize, MIN_MAX_SAMPLE_SIZE, MAX_MAX_SAMPLE_SIZE);
    }

    public AnalysisSettings(int workerCount) {
        this(workerCount, DEFAULT_MAX_SAMPLE_SIZE);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(DEFAULT_WORKER_COUNT);
    }
}
