package org.peekaboo.daemon;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.PeekabooConfigLoader;
import org.peekaboo.cortex.testing.CortexEmulator;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.verdict.Verdict;

/**
 * The daemon with Cortex behind it under many samples at once: N distinct PDFs (default 1,000),
 * each needing one FileInfo job that the emulator finishes after a simulated delay (default
 * 5 s), sent over the Unix socket on 50 connections while the daemon has its default three
 * workers. Shows that waiting for Cortex holds no worker: all jobs are pending together, and
 * the whole takes about one job delay plus polling, not N / 3 job delays. Prints the time,
 * verdicts, requests Cortex got, and heap, RSS and threads while the jobs are pending.
 *
 * <pre>
 * mvn -B -o -q -pl peekaboo-server test-compile exec:exec -Dexec.executable="$JAVA_HOME/bin/java" \
 *     -Dexec.classpathScope=test \
 *     -Dexec.args="-Xmx512m -cp %classpath org.peekaboo.daemon.CortexDaemonBench 1000 5"
 * </pre>
 * The emulator runs in the same JVM (its jobs, request log and HTTP threads are included).
 */
public final class CortexDaemonBench {
    private static final int CONNECTIONS = 50;

    private CortexDaemonBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Duration delay = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        Path dir = Files.createTempDirectory("cortex-daemon-bench");
        Path files = Files.createDirectories(dir.resolve("files"));
        try (CortexEmulator cortex = CortexEmulator.start(Clock.systemUTC(), "")) {
            cortex.analyzer(CortexSettings.AnalyzerNames.DEFAULT_FILE_INFO).takes(Duration.ZERO, delay);
            PeekabooConfig config = writeConfig(dir, files, cortex.url().getPort());
            List<Path> samples = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                samples.add(Files.writeString(files.resolve("sample-" + i + ".pdf"),
                        "%PDF-1.4\n% Peekaboo Cortex benchmark sample " + i + "\n%%EOF\n", StandardCharsets.US_ASCII));
            }
            Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config));
            try {
                run(daemon, config.server().socketFile(), samples, cortex, delay);
            } finally {
                daemon.close();
            }
        }
    }

    private static void run(Daemon daemon, Path socket, List<Path> samples, CortexEmulator cortex, Duration delay)
            throws Exception {
        LineProtocolClient client = LineProtocolClient.unix(socket, Duration.ofMinutes(10));
        Map<Verdict, AtomicLong> verdicts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, new AtomicLong());
        }
        AtomicLong peakRss = new AtomicLong();
        AtomicLong peakThreads = new AtomicLong();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRss.accumulateAndGet(rss(), Math::max);
                peakThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                        Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long rssBefore = rss();
        long started = System.nanoTime();
        try (ExecutorService connections = Executors.newFixedThreadPool(CONNECTIONS)) {
            int perConnection = (samples.size() + CONNECTIONS - 1) / CONNECTIONS;
            List<Future<?>> sent = new ArrayList<>();
            for (int from = 0; from < samples.size(); from += perConnection) {
                List<Path> share = samples.subList(from, Math.min(samples.size(), from + perConnection));
                sent.add(connections.submit(() -> {
                    ScanReply reply = client.scan(share.stream()
                            .map(file -> new SampleDeclaration(file.toString(), file.getFileName().toString(),
                                    "application/pdf", null)).toList());
                    reply.files().forEach(file -> verdicts.get(file.verdict()).incrementAndGet());
                    return null;
                }));
            }
            for (Future<?> request : sent) {
                request.get();
            }
        }
        Duration total = Duration.ofNanos(System.nanoTime() - started);
        sampler.interrupt();
        long runs = cortex.requests(request -> request.method().equals("POST") && request.path().endsWith("/run"))
                .size();
        long statusBatches = cortex.requests("POST", "/api/job/status").size();
        long reports = cortex.requests(request -> request.method().equals("GET") && request.path().endsWith("/report"))
                .size();
        System.out.printf("CortexDaemonBench: %d distinct PDFs on %d connections, 3 workers, FileInfo job delay %d s%n",
                samples.size(), CONNECTIONS, delay.toSeconds());
        System.out.printf("total time          %.2f s%n", total.toMillis() / 1000.0);
        System.out.printf("verdicts            %s%n", verdicts);
        System.out.printf("Cortex requests     run %d, status batch %d, report %d, all %d%n", runs, statusBatches,
                reports, cortex.requests().size());
        System.out.printf("RSS before / peak   %d MiB / %d MiB%n", rssBefore >> 20, peakRss.get() >> 20);
        System.out.printf("peak heap used      %d MiB%n", peakHeap.get() >> 20);
        System.out.printf("peak JVM threads    %d (platform threads; workers are virtual)%n", peakThreads.get());
    }

    private static PeekabooConfig writeConfig(Path dir, Path files, int cortexPort) throws Exception {
        Files.writeString(dir.resolve("ruleset.conf"), """
                [rules]
                rule.1: known
                rule.2: expressions
                rule.3: final_rule

                [expressions]
                expression.1: cortexreport.FileInfoReport.sha256sum == sample.sha256sum -> ignore
                """);
        Files.writeString(dir.resolve("analyzers.conf"), """
                [cortex]
                url: http://127.0.0.1:%d
                api_token: %s
                poll_interval: 1s
                """.formatted(cortexPort, CortexEmulator.ANALYZE_KEY));
        Files.setPosixFilePermissions(dir.resolve("analyzers.conf"), PosixFilePermissions.fromString("rw-r-----"));
        Path main = dir.resolve("peekaboo.conf");
        Files.writeString(main, """
                [global]
                data_dir: %s

                [server]
                socket_file: %s
                allowed_dir.0: %s
                request_deadline: 5m

                [ruleset]
                config: ruleset.conf

                [analyzers]
                config: analyzers.conf
                """.formatted(dir.resolve("data"), dir.resolve("peekaboo.sock"), files));
        return PeekabooConfigLoader.load(main, Map.of()).config();
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
