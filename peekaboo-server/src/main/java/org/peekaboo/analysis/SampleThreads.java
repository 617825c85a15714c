package org.peekaboo.analysis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine's virtual threads, one per sample (and one per request that checks its paths): started
 * with the front end's logging context, tracked until they end, so that shutdown can wait for them
 * and interrupt the rest. Thread-safe.
 */
final class SampleThreads {
    private static final Logger LOG = LoggerFactory.getLogger(SampleThreads.class);

    // An Error that ends a sample's thread was logged with the sample already (see AnalysisEngine#judge).
    private final ThreadFactory threads = Thread.ofVirtual().name("peekaboo-sample-", 1)
            .uncaughtExceptionHandler((thread, error) -> LOG.debug("{} ended by {}", thread.getName(), error.toString()))
            .factory();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    /** Guarded by {@code this}, together with starting threads, so that a stop sees every thread it must wait for. */
    private boolean stopped;

    /** Starts {@code task} on a virtual thread of its own with {@code context} in its MDC; false once stopped. */
    synchronized boolean start(Runnable task, Map<String, String> context) {
        if (stopped) {
            return false;
        }
        Thread thread = threads.newThread(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                task.run();
            } finally {
                running.remove(Thread.currentThread());
                MDC.clear();
            }
        });
        running.add(thread);
        thread.start();
        return true;
    }

    /** Starts no thread from now on; false if that was so already. */
    synchronized boolean stop() {
        if (stopped) {
            return false;
        }
        stopped = true;
        return true;
    }

    /** Waits until every thread has ended or {@code deadlineNanos} ({@link System#nanoTime()}) has passed. */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        for (Thread thread : List.copyOf(running)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return running.isEmpty();
            }
        }
        return running.isEmpty();
    }

    /** Interrupts every thread still running; returns how many. */
    int interruptAll() {
        List<Thread> left = List.copyOf(running);
        left.forEach(Thread::interrupt);
        return left.size();
    }

    int running() {
        return running.size();
    }
}
