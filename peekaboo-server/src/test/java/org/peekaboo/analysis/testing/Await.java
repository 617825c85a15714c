package org.peekaboo.analysis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something other threads bring about; the limit only ends a test that would hang. */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(10);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails the test when it does not within {@code limit}. */
    public static void until(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(POLL);
        }
    }
}
