package org.peekaboo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measures a running daemon over the line protocol: sends N small text files in requests "
                + "of K files on C parallel connections and prints attachments/s and request latency.",
                "Files are created in --dir (which the daemon must be allowed to read); with --reuse the files "
                        + "of an earlier run there are sent again (the daemon then answers from its store).",
                "All requests are built before the clock starts and the C connections start at once, so "
                        + "--files 2000 --per-request 250 --connections 8 is a burst of 8 mails of 250 parts.",
                "With --clamd it speaks clamd's INSTREAM instead, one sample per request, to Peekaboo's [clamd] "
                        + "listener or to a real clamd alike, so that one client measures both (scripts/clamd-bench).",
                "With --http URL it uploads each sample to PeekabooAV 2.1's REST API and asks for its report "
                        + "until it is there, as rspamd's module does (scripts/http-bench)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions clientOptions;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the sample files live (line protocol; required without --clamd).")
    private Path dir;

    @Option(names = "--files", defaultValue = "10000",
            description = "Number of files (default ${DEFAULT-VALUE}); with --clamd the number of requests.")
    private int fileCount;

    @Option(names = "--per-request", defaultValue = "1", description = "Files per request (default ${DEFAULT-VALUE}).")
    private int perRequest;

    @Option(names = "--connections", defaultValue = "8",
            description = "Parallel connections (default ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--size", defaultValue = "256", description = "Bytes per file (default ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--reuse", description = "Send the files an earlier run left in --dir.")
    private boolean reuse;

    @Option(names = "--pid", description = "Also print the resident memory of this process (the daemon) and "
            + "the CPU it spent per file.")
    private Long daemonPid;

    @Option(names = "--clamd", description = "Send each sample's bytes with clamd's zINSTREAM (one chunk) instead of "
            + "its path over the line protocol; the samples are made in memory, no --dir.")
    private boolean clamd;

    @Option(names = "--http", paramLabel = "URL",
            description = "Upload each sample to URL/v1/scan and poll URL/v1/report/<job_id> (e.g. "
                    + "http://127.0.0.1:8100); the samples are made in memory, no --dir.")
    private URI http;

    @Option(names = "--known", paramLabel = "N", defaultValue = "0",
            description = "With --clamd or --http: send only N distinct samples, in turn, each once before the clock starts, "
                    + "so that every timed request is of a sample the server has seen (Peekaboo answers from its "
                    + "store). 0 (default): every request a new sample.")
    private int known;

    @Option(names = "--marker-every", paramLabel = "M", defaultValue = "0",
            description = "With --clamd or --http: every M-th sample carries the PeekabooYar test marker and must be "
                    + "answered FOUND, the others OK (default ${DEFAULT-VALUE}: no marker).")
    private int markerEvery;

    @Option(names = "--also-socket", paramLabel = "PATH",
            description = "Unix socket of a further daemon sharing the load (repeatable): connections are "
                    + "spread round-robin over all daemons, as amavis hosts would spread them over a cluster.")
    private List<Path> moreSockets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (fileCount < 1 || perRequest < 1 || connections < 1 || size < 16) {
            throw new CommandFailedException("--files, --per-request and --connections must be positive, --size >= 16");
        }
        if (known < 0 || markerEvery < 0) {
            throw new CommandFailedException("--known and --marker-every must not be negative");
        }
        if (clamd && http != null) {
            throw new CommandFailedException("--clamd and --http are two protocols; give one");
        }
        if (inMemory() ? perRequest != 1 || reuse || dir != null : dir == null || known > 0 || markerEvery > 0) {
            throw new CommandFailedException("--clamd and --http send one sample per request without --dir and "
                    + "--reuse; the line protocol needs --dir and has no --known or --marker-every");
        }
        if (http != null) {
            return callHttp();
        }
        List<SocketAddress> daemons = new ArrayList<>();
        daemons.add(clientOptions.address());
        moreSockets.forEach(socket -> daemons.add(UnixDomainSocketAddress.of(socket.toAbsolutePath())));
        BenchSamples samples = null;
        ByteBuffer[] requests;
        if (clamd) {
            samples = BenchSamples.make(fileCount, known, markerEvery, size);
            prime(samples, daemons);
            requests = samples.requests();
        } else {
            requests = BenchRequests.build(prepareFiles(), perRequest);
        }
        long[] latencies = new long[requests.length];
        AtomicInteger next = new AtomicInteger();
        List<BenchConnection> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(new BenchConnection(daemons.get(c % daemons.size()), requests, next, latencies, newTally()));
        }

        CpuClock cpu = CpuClock.start(daemonPid);
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (BenchConnection worker : workers) {
            threads.add(Thread.ofPlatform().name("bench-" + threads.size()).start(worker));
        }
        Thread watchdog = Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> watch(workers));
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        CpuClock.Spent spent = cpu.stop();
        watchdog.interrupt();

        ReplyTally total = newTally();
        workers.forEach(worker -> total.add(worker.tally()));
        int fileTotal = clamd ? requests.length : fileCount;
        report(fileTotal, requests.length, daemons.size(), seconds, latencies, total);
        spent.print(spec.commandLine().getOut(), requests.length, fileTotal);
        boolean right = samples == null || sameVerdicts(total, samples);
        return total.failed() == 0 && right ? 0 : Main.EXIT_ERROR;
    }

    private boolean inMemory() {
        return clamd || http != null;
    }

    /** The REST API: every worker a kept-alive client uploading and polling, as rspamd's module. */
    private Integer callHttp() throws InterruptedException, IOException {
        BenchSamples samples = BenchSamples.make(fileCount, known, markerEvery, size);
        List<byte[]> priming = samples.primingUploads();
        if (!priming.isEmpty()) {
            HttpBenchClient primer = new HttpBenchClient(http, priming, new AtomicInteger(), new long[priming.size()],
                    new ReplyTally(), clientOptions.timeout());
            primer.run();
            spec.commandLine().getOut().printf("primed %d known samples: good %d, bad %d, unchecked %d, failed %d%n",
                    priming.size(), primer.tally().files(ReplyTally.GOOD), primer.tally().files(ReplyTally.BAD),
                    primer.tally().files(ReplyTally.UNCHECKED), primer.tally().failed());
        }
        List<byte[]> uploads = samples.uploads();
        long[] latencies = new long[uploads.size()];
        AtomicInteger next = new AtomicInteger();
        List<HttpBenchClient> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            workers.add(new HttpBenchClient(http, uploads, next, latencies, new ReplyTally(), clientOptions.timeout()));
        }
        CpuClock cpu = CpuClock.start(daemonPid);
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (HttpBenchClient worker : workers) {
            threads.add(Thread.ofPlatform().name("bench-" + threads.size()).start(worker));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        CpuClock.Spent spent = cpu.stop();
        ReplyTally total = new ReplyTally();
        workers.forEach(worker -> total.add(worker.tally()));
        report(uploads.size(), uploads.size(), 1, seconds, latencies, total);
        spent.print(spec.commandLine().getOut(), uploads.size(), uploads.size());
        boolean right = sameVerdicts(total, samples);
        return total.failed() == 0 && right ? 0 : Main.EXIT_ERROR;
    }

    private ReplyTally newTally() {
        return clamd ? ReplyTally.forClamd() : new ReplyTally();
    }

    /** Sends each known sample once, untimed, on one connection to every daemon, so that all know them. */
    private void prime(BenchSamples samples, List<SocketAddress> daemons) {
        PrintWriter out = spec.commandLine().getOut();
        for (SocketAddress daemon : daemons) {
            ByteBuffer[] once = samples.primingRequests();
            if (once.length == 0) {
                return;
            }
            BenchConnection connection = new BenchConnection(daemon, once, new AtomicInteger(), new long[once.length],
                    newTally());
            connection.run();
            ReplyTally primed = connection.tally();
            out.printf("primed %d known samples: good %d, bad %d, unchecked %d, failed %d%n", once.length,
                    primed.files(ReplyTally.GOOD), primed.files(ReplyTally.BAD), primed.files(ReplyTally.UNCHECKED),
                    primed.failed());
        }
    }

    /** Whether every clean sample was answered OK and every marked one FOUND; says so either way. */
    private boolean sameVerdicts(ReplyTally total, BenchSamples samples) {
        boolean same = total.files(ReplyTally.GOOD) == samples.expectedGood()
                && total.files(ReplyTally.BAD) == samples.expectedBad();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("expected verdicts: good %d, bad %d: %s%n", samples.expectedGood(), samples.expectedBad(),
                same ? "as expected" : "DIFFERENT");
        out.flush();
        return same;
    }

    /** Ends requests on which the daemon stays silent longer than --timeout (it sends keep-alive lines). */
    private void watch(List<BenchConnection> workers) {
        long timeout = clientOptions.timeout().toNanos();
        long period = Math.max(10, Math.min(1000, clientOptions.timeout().toMillis() / 4));
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(period);
                long now = System.nanoTime();
                workers.forEach(worker -> worker.closeIfSilent(now, timeout));
            }
        } catch (InterruptedException e) {
            // the run is over
        }
    }

    private List<Path> prepareFiles() throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(fileCount);
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < fileCount; i++) {
            Path file = dir.resolve("bench-" + i + ".txt").toAbsolutePath();
            if (!reuse || !Files.exists(file)) {
                Files.write(file, BenchRequests.sample(run, i, size, false));
            }
            files.add(file);
        }
        return files;
    }

    private void report(int fileTotal, int requestTotal, int daemonCount, double seconds, long[] latencies,
                        ReplyTally total) throws IOException {
        Arrays.sort(latencies);
        PrintWriter out = spec.commandLine().getOut();
        if (inMemory()) {
            out.printf("samples: %d %s of %s samples (%s) on %d connections to %d daemon(s)%n",
                    requestTotal, clamd ? "INSTREAM requests" : "REST uploads and reports", known > 0 ? known + " known" : "new",
                    markerEvery > 0 ? "1 in " + markerEvery + " with the marker" : "no marker", connections,
                    daemonCount);
        } else {
            out.printf("files: %d in %d requests of up to %d on %d connections to %d daemon(s)%n", fileTotal,
                    requestTotal, perRequest, connections, daemonCount);
        }
        out.printf("elapsed: %.2f s, attachments/s: %.1f%n", seconds, fileTotal / seconds);
        out.printf("request latency: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6);
        out.printf("verdicts: good %d, bad %d, unchecked %d; failed requests %d%n", total.files(ReplyTally.GOOD),
                total.files(ReplyTally.BAD), total.files(ReplyTally.UNCHECKED), total.failed());
        if (!inMemory()) {
            out.printf("requests categorized: good %d, bad %d, unchecked %d%n", total.requests(ReplyTally.GOOD),
                    total.requests(ReplyTally.BAD), total.requests(ReplyTally.UNCHECKED));
        }
        if (daemonPid != null) {
            for (String line : Files.readAllLines(Path.of("/proc", daemonPid.toString(), "status"))) {
                if (line.startsWith("VmRSS") || line.startsWith("VmHWM")) {
                    out.println("daemon " + line.replaceAll("\\s+", " "));
                }
            }
        }
        out.flush();
    }

    private static double percentile(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
