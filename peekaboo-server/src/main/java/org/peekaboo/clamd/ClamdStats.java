package org.peekaboo.clamd;

import java.util.concurrent.atomic.AtomicInteger;

/** The counters STATS reports, shared by the connections of one front end. */
final class ClamdStats {
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger scanning = new AtomicInteger();

    void connected() {
        connections.incrementAndGet();
    }

    void disconnected() {
        connections.decrementAndGet();
    }

    void scanStarted() {
        scanning.incrementAndGet();
    }

    void scanEnded() {
        scanning.decrementAndGet();
    }

    /**
     * clamd's STATS block (thrmgr.c's layout; its format is "subject to change", clients only
     * show it), from Peekaboo's connections and running scans and the JVM's heap.
     */
    String block() {
        Runtime runtime = Runtime.getRuntime();
        double total = runtime.totalMemory() / 1048576.0;
        double free = runtime.freeMemory() / 1048576.0;
        return "POOLS: 1\n\nSTATE: VALID PRIMARY\n"
                + "THREADS: live " + connections.get() + "  idle 0 max " + runtime.availableProcessors()
                + " idle-timeout 30\n"
                + "QUEUE: " + Math.max(0, scanning.get()) + " items\n\n"
                + String.format(java.util.Locale.ROOT, "MEMSTATS: heap %.3fM mmap 0.000M used %.3fM free %.3fM"
                        + " releasable 0.000M pools 1 pools_used %.3fM pools_total %.3fM\n",
                        total, total - free, free, total - free, total)
                + "END";
    }
}
