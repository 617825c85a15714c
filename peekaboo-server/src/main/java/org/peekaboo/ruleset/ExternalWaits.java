package org.peekaboo.ruleset;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a rule waits for work done elsewhere (a Cortex job runs for minutes). The engine's
 * implementation lets another sample use the worker meanwhile, so that a few workers keep
 * many samples in analysis; {@link #DIRECT} just blocks, for callers without an engine.
 */
public interface ExternalWaits {

    /** Blocks the caller on the future, holding whatever it holds. */
    ExternalWaits DIRECT = new ExternalWaits() {
        @Override
        public <T> T await(CompletableFuture<T> work, Duration patience)
                throws ExecutionException, TimeoutException, InterruptedException {
            return work.get(patience.toNanos(), TimeUnit.NANOSECONDS);
        }
    };

    /** The result of {@code work}, waiting at most {@code patience}. */
    <T> T await(CompletableFuture<T> work, Duration patience)
            throws ExecutionException, TimeoutException, InterruptedException;
}
