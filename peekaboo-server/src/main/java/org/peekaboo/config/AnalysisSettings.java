package org.peekaboo.config;

/**
 * How much judging happens at once.
 *
 * @param workerCount samples judged in parallel ({@code [global] worker_count})
 * @param queueSize   samples that may wait for a worker; beyond that new requests are
 *                    answered unchecked instead of piling up ({@code [global] queue_size})
 */
public record AnalysisSettings(int workerCount, int queueSize) {
    public static final int DEFAULT_WORKER_COUNT = 3;
    public static final int MIN_WORKER_COUNT = 1;
    public static final int MAX_WORKER_COUNT = 256;
    public static final int DEFAULT_QUEUE_SIZE = 1000;
    public static final int MIN_QUEUE_SIZE = 1;
    public static final int MAX_QUEUE_SIZE = 1_000_000;

    public AnalysisSettings {
        Checks.inRange("worker count", workerCount, MIN_WORKER_COUNT, MAX_WORKER_COUNT);
        Checks.inRange("queue size", queueSize, MIN_QUEUE_SIZE, MAX_QUEUE_SIZE);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(DEFAULT_WORKER_COUNT, DEFAULT_QUEUE_SIZE);
    }
}
