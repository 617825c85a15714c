package org.peekaboo.config;

import java.time.Duration;

/**
 * How long analyses are reused and kept.
 *
 * @param resultMaxAge  how long after it finished a stored result may still decide a sample
 *                      through the {@code known} rule ({@code [db] result_max_age}); an older
 *                      one is ignored and the sample is analysed again
 * @param purgeAfter    finished analyses older than this are deleted, and lock rows whose lease
 *                      ended longer ago ({@code [db] purge_after}); never shorter than
 *                      {@code resultMaxAge}, so that nothing still reusable is deleted
 * @param purgeInterval how often one instance of those sharing the database purges
 *                      ({@code [db] purge_interval})
 * @param purgeBatch    rows deleted per statement, so that a purge never holds many row
 *                      locks at once ({@code [db] purge_batch})
 */
public record RetentionSettings(Duration resultMaxAge, Duration purgeAfter, Duration purgeInterval, int purgeBatch) {
    public static final Duration DEFAULT_RESULT_MAX_AGE = Duration.ofDays(30);
    public static final Duration MIN_RESULT_MAX_AGE = Duration.ofHours(1);
    public static final Duration MAX_RESULT_MAX_AGE = Duration.ofDays(3650);
    public static final Duration DEFAULT_PURGE_AFTER = Duration.ofDays(90);
    public static final Duration MIN_PURGE_AFTER = MIN_RESULT_MAX_AGE;
    public static final Duration MAX_PURGE_AFTER = MAX_RESULT_MAX_AGE;
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofHours(1);
    public static final Duration MIN_PURGE_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_PURGE_INTERVAL = Duration.ofDays(1);
    public static final int DEFAULT_PURGE_BATCH = 1000;
    public static final int MIN_PURGE_BATCH = 10;
    public static final int MAX_PURGE_BATCH = 100_000;

    public RetentionSettings {
        Checks.inRange("result max age", resultMaxAge, MIN_RESULT_MAX_AGE, MAX_RESULT_MAX_AGE);
        Checks.inRange("purge age", purgeAfter, MIN_PURGE_AFTER, MAX_PURGE_AFTER);
        Checks.inRange("purge interval", purgeInterval, MIN_PURGE_INTERVAL, MAX_PURGE_INTERVAL);
        Checks.inRange("purge batch", purgeBatch, MIN_PURGE_BATCH, MAX_PURGE_BATCH);
        if (purgeAfter.compareTo(resultMaxAge) < 0) {
            throw new ConfigException("purge_after " + Units.formatDuration(purgeAfter)
                    + " must not be shorter than result_max_age " + Units.formatDuration(resultMaxAge)
                    + ", or results are deleted while they may still be reused");
        }
    }

    public static RetentionSettings defaults() {
        return new RetentionSettings(DEFAULT_RESULT_MAX_AGE, DEFAULT_PURGE_AFTER, DEFAULT_PURGE_INTERVAL,
                DEFAULT_PURGE_BATCH);
    }
}
