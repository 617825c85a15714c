package org.peekaboo.cortex;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.cortex.testing.RecordedRequest;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.testing.TestContents;

/**
 * How the Cortex client copes with many jobs at once: N distinct samples (default 1,000), each
 * needing one FileInfo report, submitted together to the emulator, whose jobs take a simulated
 * delay (default 5 s) before they succeed. Prints the total time, the requests Cortex got by
 * kind, the poll rounds, and memory and threads while the jobs are pending.
 *
 * <p>Run from the repository root, in a JVM of its own so that Maven's memory is not counted
 * (arguments optional: samples, job delay, poll interval):
 * <pre>
 * mvn -B -o -q -pl peekaboo-server test-compile exec:exec -Dexec.executable="$JAVA_HOME/bin/java" \
 *     -Dexec.classpathScope=test \
 *     -Dexec.args="-Xmx1g -cp %classpath org.peekaboo.cortex.CortexBench 1000 5s 5s"
 * </pre>
 * The emulator runs in the same JVM, so heap, RSS and threads include its jobs, its request log
 * (which keeps every uploaded file) and its HTTP threads; the client's own share is smaller.
 */
public final class CortexBench {
    private static final int SAMPLE_BYTES = 1024;
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(20);
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private CortexBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration delay = args.length > 1 ? parse(args[1]) : Duration.ofSeconds(5);
        Duration poll = args.length > 2 ? parse(args[2]) : CortexSettings.DEFAULT_POLL_INTERVAL;
        run(count, delay, poll, System.out);
    }

    private static void run(int count, Duration delay, Duration poll, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("cortex-bench");
        try (CortexEmulator cortex = CortexEmulator.start(Clock.systemUTC(), "")) {
            cortex.analyzer(CortexSettings.AnalyzerNames.DEFAULT_FILE_INFO).takes(Duration.ZERO, delay);
            List<Sample> samples = samples(dir, count);
            CortexSettings settings = CortexSettings.of(cortex.url(), new Secret(CortexEmulator.ANALYZE_KEY))
                    .withPollInterval(poll);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (CortexClient client = new CortexClient(settings, Clock.systemUTC())) {
                System.gc();
                long heapBefore = memory.getHeapMemoryUsage().getUsed();
                long rssBefore = rss();
                int threadsBefore = threads.getThreadCount();
                Peaks peaks = new Peaks();
                Thread sampler = Thread.ofPlatform().daemon().name("bench-sampler").start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (client.pendingJobs() > 0) {
                            peaks.record(client.pendingJobs(), memory.getHeapMemoryUsage().getUsed(), rss(),
                                    threads.getThreadCount());
                        }
                        try {
                            Thread.sleep(SAMPLE_EVERY.toMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });

                long start = System.nanoTime();
                List<CompletableFuture<AnalyzerReport>> reports = new ArrayList<>();
                for (Sample sample : samples) {
                    reports.add(client.analyze(sample, CortexAnalyzer.FILE_INFO));
                }
                // Once every job is accepted and none has ended: what holding them all costs, after a GC.
                long retainedWhilePending = -1;
                Map<String, Long> threadsWhilePending = Map.of();
                while (retainedWhilePending < 0 && !allDone(reports)) {
                    if (client.pendingJobs() == count) {
                        threadsWhilePending = threadsByName();
                        System.gc();
                        retainedWhilePending = memory.getHeapMemoryUsage().getUsed();
                    }
                    Thread.sleep(SAMPLE_EVERY.toMillis());
                }
                long failures = 0;
                for (CompletableFuture<AnalyzerReport> report : reports) {
                    try {
                        report.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        failures++;
                    }
                }
                Duration total = Duration.ofNanos(System.nanoTime() - start);
                sampler.interrupt();
                sampler.join();

                out.printf("CortexBench: %d samples, one FileInfo job each, job delay %d ms, poll interval %d ms%n",
                        count, delay.toMillis(), poll.toMillis());
                out.printf("total time            %.2f s (%d reports, %d failures)%n", total.toMillis() / 1000.0,
                        count - failures, failures);
                out.println("requests to Cortex by kind:");
                requestsByKind(cortex.requests()).forEach((kind, n) -> out.printf("  %-20s %d%n", kind, n));
                out.printf("poll rounds           %d%n", client.pollRounds());
                out.printf("peak pending jobs     %d%n", peaks.pending.get());
                out.printf("heap before           %d MiB (after GC)%n", mib(heapBefore));
                out.printf("heap, all pending     %s (after GC)%n", retainedWhilePending < 0 ? "not seen"
                        : mib(retainedWhilePending) + " MiB, +" + mib(retainedWhilePending - heapBefore) + " MiB");
                out.printf("peak heap used        %d MiB (sampled every %d ms while jobs were pending)%n",
                        mib(peaks.heap.get()), SAMPLE_EVERY.toMillis());
                out.printf("RSS before / peak     %d MiB / %d MiB%n", mib(rssBefore), mib(peaks.rss.get()));
                out.printf("threads before / peak %d / %d (JVM-wide, emulator included)%n", threadsBefore,
                        peaks.threads.get());
                out.println("threads while all jobs were pending, by name:");
                threadsWhilePending.forEach((name, n) -> out.printf("  %-28s %d%n", name, n));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Peaks seen while jobs were pending. */
    private static final class Peaks {
        final AtomicLong pending = new AtomicLong();
        final AtomicLong heap = new AtomicLong();
        final AtomicLong rss = new AtomicLong();
        final AtomicLong threads = new AtomicLong();

        void record(long pendingJobs, long heapUsed, long rssBytes, long threadCount) {
            pending.accumulateAndGet(pendingJobs, Math::max);
            heap.accumulateAndGet(heapUsed, Math::max);
            rss.accumulateAndGet(rssBytes, Math::max);
            threads.accumulateAndGet(threadCount, Math::max);
        }
    }

    private static List<Sample> samples(Path dir, int count) throws IOException {
        List<Sample> samples = new ArrayList<>(count);
        byte[] padding = "x".repeat(SAMPLE_BYTES).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            byte[] content = ("%PDF-1.4 sample " + i + "\n" + new String(padding, StandardCharsets.US_ASCII))
                    .substring(0, SAMPLE_BYTES).getBytes(StandardCharsets.US_ASCII);
            Path file = Files.write(dir.resolve("sample-" + i + ".pdf"), content);
            samples.add(TestContents.read(file, new SampleDeclaration(file.toString(), "sample-" + i + ".pdf",
                    "application/pdf", null)));
        }
        return samples;
    }

    private static Map<String, Long> requestsByKind(List<RecordedRequest> requests) {
        Map<String, Long> kinds = new TreeMap<>();
        for (RecordedRequest request : requests) {
            kinds.merge(kind(request), 1L, Long::sum);
        }
        return kinds;
    }

    private static String kind(RecordedRequest request) {
        String path = request.path();
        if (request.method().equals("POST") && path.endsWith("/run")) {
            return "run";
        }
        if (request.is("POST", "/api/job/status")) {
            return "status batch";
        }
        if (request.method().equals("GET") && path.endsWith("/report")) {
            return "report";
        }
        if (path.startsWith("/api/analyzer")) {
            return "analyzer lookup";
        }
        return request.method() + " " + path;
    }

    /** Live threads by name with their numbers left out, so that a pool's threads count under one name. */
    private static Map<String, Long> threadsByName() {
        Map<String, Long> names = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.merge(thread.getName().replaceAll("\\d+", "N"), 1L, Long::sum);
        }
        return names;
    }

    private static boolean allDone(List<CompletableFuture<AnalyzerReport>> reports) {
        return reports.stream().allMatch(CompletableFuture::isDone);
    }

    /** The resident set size from /proc, or 0 where there is none. */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static Duration parse(String text) {
        String value = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }
}
