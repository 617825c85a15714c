package org.peekaboo.analysis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The samples being judged right now and since when, for the load an operator watches: how many,
 * and how long the oldest has been at it (one stuck sample shows here long before the count
 * moves). Thread-safe; the oldest is looked for when asked, which is rarely (a scrape).
 */
final class UnderWay {
    private final AtomicLong tickets = new AtomicLong();
    private final Map<Long, Long> startedNanos = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    UnderWay(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Registers a sample that starts now; {@link #end} with the ticket when it is done. */
    long begin() {
        long ticket = tickets.incrementAndGet();
        startedNanos.put(ticket, nanoTime.getAsLong());
        return ticket;
    }

    void end(long ticket) {
        startedNanos.remove(ticket);
    }

    int count() {
        return startedNanos.size();
    }

    /** How long the oldest sample under way has been; zero when there is none. */
    Duration oldest() {
        long now = nanoTime.getAsLong();
        return startedNanos.values().stream()
                .map(started -> Duration.ofNanos(Math.max(0, now - started)))
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }
}
