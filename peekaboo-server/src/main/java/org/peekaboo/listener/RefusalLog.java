package org.peekaboo.listener;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Reports refused connections as a warning at most every ten seconds, with the count since the
 * last one: a flood of thousands must not become thousands of log lines. Every refusal is logged
 * at debug level.
 */
final class RefusalLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Logger log;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicInteger sinceWarning = new AtomicInteger();

    RefusalLog(Logger log) {
        this.log = log;
    }

    void refused(Object peer, String reason) {
        int count = sinceWarning.incrementAndGet();
        long last = lastWarning.get();
        long now = System.nanoTime();
        if (now - last >= INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            sinceWarning.addAndGet(-count);
            log.warn("Refused {} connection(s) since the last warning, the latest from {}: {}", count, peer, reason);
        } else {
            log.debug("Refused a connection from {}: {}", peer, reason);
        }
    }
}
