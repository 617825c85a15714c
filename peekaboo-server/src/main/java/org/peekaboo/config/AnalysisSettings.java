package org.peekaboo.config;

/**
 * How much judging happens at once.
 *
 * @param workerCount samples whose rules compute at the same time ({@code [global] worker_count});
 *                    samples waiting for other work (Cortex, another instance) do not count
 */
public record AnalysisSettings(int workerCount) {
    public static final int DEFAULT_WORKER_COUNT = 3;
    public static final int MIN_WORKER_COUNT = 1;
    public static final int MAX_WORKER_COUNT = 256;

    public AnalysisSettings {
        Checks.inRange("worker count", workerCount, MIN_WORKER_COUNT, MAX_WORKER_COUNT);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(DEFAULT_WORKER_COUNT);
    }
}
