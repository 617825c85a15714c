package org.peekaboo.db;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.peekaboo.db.TransientFailures.Kind;

/**
 * Runs a database operation again when it lost a deadlock or a lock wait, with a short,
 * jittered, exponentially growing pause between attempts. Two Peekaboo instances that
 * deadlock on the same rows back off by different amounts, so the retry does not collide
 * again. Connection failures are not retried here: a down database should answer the
 * request {@code unchecked} quickly rather than make it wait; they are reported to the
 * {@link DatabaseOutage} so that the outage is logged once, and while it knows the database is
 * down, operations are not even tried. Thread-safe.
 */
public final class Retry {
    /** First pause; doubled for every further attempt. */
    public static final Duration DEFAULT_FIRST_PAUSE = Duration.ofMillis(20);
    /** Four attempts pause at most 20 + 40 + 80 ms: a request is delayed well under a second. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;

    /** Waits between attempts; a test passes one that only records the pauses. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration firstPause;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final DatabaseOutage outage;

    public Retry(int maxAttempts, Duration firstPause, Sleeper sleeper, RandomGenerator random,
                 DatabaseOutage outage) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, got " + maxAttempts);
        }
        if (firstPause.isNegative()) {
            throw new IllegalArgumentException("pause must not be negative, got " + firstPause);
        }
        this.maxAttempts = maxAttempts;
        this.firstPause = firstPause;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
        this.outage = Objects.requireNonNull(outage, "outage");
    }

    /** The defaults, pausing with {@link Thread#sleep(Duration)}. */
    public static Retry withDefaults(DatabaseOutage outage) {
        return new Retry(DEFAULT_MAX_ATTEMPTS, DEFAULT_FIRST_PAUSE, Thread::sleep, RandomGenerator.getDefault(),
                outage);
    }

    /**
     * Runs {@code operation}, again after contention, at most the configured number of times.
     * The operation must be safe to repeat after a failure: a single statement or a whole
     * transaction, which the database rolled back when it reported the contention.
     *
     * @throws RuntimeException the operation's last failure; on interruption the failure that
     *                          made it wait, with the interrupt flag set again
     */
    public <T> T run(Supplier<T> operation) {
        if (outage.knownDown()) {
            throw outage.knownDownFailure();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                T result = operation.get();
                outage.reachable();
                return result;
            } catch (RuntimeException failure) {
                Kind kind = TransientFailures.classify(failure);
                if (kind == Kind.CONNECTION) {
                    outage.unreachable(failure);
                    throw failure;
                }
                // Any answer from the server, even an error, shows it is reachable.
                outage.reachable();
                if (kind != Kind.CONTENTION || attempt >= maxAttempts) {
                    throw failure;
                }
                pause(attempt, failure);
            }
        }
    }

    /** Like {@link #run(Supplier)} for an operation without result. */
    public void run(Runnable operation) {
        run(() -> {
            operation.run();
            return null;
        });
    }

    /** Between half and all of {@code firstPause * 2^(attempt-1)}, so that competitors spread out. */
    Duration pauseBefore(int nextAttempt) {
        long full = firstPause.toNanos() << Math.clamp(nextAttempt - 2L, 0, 20);
        long half = full / 2;
        return Duration.ofNanos(half + (half == 0 ? 0 : random.nextLong(full - half + 1)));
    }

    private void pause(int failedAttempt, RuntimeException failure) {
        try {
            sleeper.sleep(pauseBefore(failedAttempt + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
            throw failure;
        }
    }
}
