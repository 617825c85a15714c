package org.peekaboo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.protocol.LineProtocolClient;
import org.peekaboo.protocol.ScanReply;
import org.peekaboo.protocol.Verdict;
import org.peekaboo.sample.SampleDeclaration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Measures a running daemon over the line protocol: sends N small text files in requests "
                + "of K files on C parallel connections and prints attachments/s and request latency.",
                "Files are created in --dir (which the daemon must be allowed to read); with --reuse the files "
                        + "of an earlier run there are sent again (the daemon then answers from its store)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions clientOptions;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the sample files live.")
    private Path dir;

    @Option(names = "--files", defaultValue = "10000", description = "Number of files (default ${DEFAULT-VALUE}).")
    private int fileCount;

    @Option(names = "--per-request", defaultValue = "1", description = "Files per request (default ${DEFAULT-VALUE}).")
    private int perRequest;

    @Option(names = "--connections", defaultValue = "8", description = "Parallel connections (default ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--size", defaultValue = "256", description = "Bytes per file (default ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--reuse", description = "Send the files an earlier run left in --dir.")
    private boolean reuse;

    @Option(names = "--pid", description = "Also print the resident memory of this process (the daemon) and "
            + "the CPU it spent per file.")
    private Long daemonPid;

    @Option(names = "--also-socket", paramLabel = "PATH",
            description = "Unix socket of a further daemon sharing the load (repeatable): connections are "
                    + "spread round-robin over all daemons, as amavis hosts would spread them over a cluster.")
    private List<Path> moreSockets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (fileCount < 1 || perRequest < 1 || connections < 1 || size < 16) {
            throw new CommandFailedException("--files, --per-request and --connections must be positive, --size >= 16");
        }
        List<Path> files = prepareFiles();
        List<List<Path>> requests = new ArrayList<>();
        for (int i = 0; i < files.size(); i += perRequest) {
            requests.add(files.subList(i, Math.min(files.size(), i + perRequest)));
        }
        long[] latencies = new long[requests.size()];
        Map<Verdict, AtomicInteger> verdicts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, new AtomicInteger());
        }
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<LineProtocolClient> daemons = new ArrayList<>();
        daemons.add(clientOptions.client());
        moreSockets.forEach(socket -> daemons.add(LineProtocolClient.unix(socket.toAbsolutePath(),
                clientOptions.timeout())));
        CpuClock cpu = CpuClock.start(daemonPid);
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                LineProtocolClient client = daemons.get(c % daemons.size());
                runs.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                        long sent = System.nanoTime();
                        try {
                            ScanReply reply = client.scan(requests.get(i).stream()
                                    .map(file -> SampleDeclaration.ofPath(file.toString())).toList());
                            reply.files().forEach(file -> verdicts.get(file.verdict()).incrementAndGet());
                            if (!reply.errors().isEmpty()) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - sent;
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        CpuClock.Spent spent = cpu.stop();
        report(files.size(), requests.size(), daemons.size(), seconds, latencies, verdicts, errors.get());
        spent.print(spec.commandLine().getOut(), requests.size(), files.size());
        return errors.get() == 0 ? 0 : Main.EXIT_ERROR;
    }

    private List<Path> prepareFiles() throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(fileCount);
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < fileCount; i++) {
            Path file = dir.resolve("bench-" + i + ".txt").toAbsolutePath();
            if (!reuse || !Files.exists(file)) {
                StringBuilder content = new StringBuilder("Peekaboo benchmark ").append(run).append(' ').append(i);
                while (content.length() < size - 1) {
                    content.append(" lorem ipsum");
                }
                content.setLength(size - 1);
                Files.writeString(file, content.append('\n'), StandardCharsets.US_ASCII);
            }
            files.add(file);
        }
        return files;
    }

    private void report(int fileTotal, int requestTotal, int daemonCount, double seconds, long[] latencies,
                        Map<Verdict, AtomicInteger> verdicts, int errors) throws IOException {
        Arrays.sort(latencies);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("files: %d in %d requests of up to %d on %d connections to %d daemon(s)%n", fileTotal,
                requestTotal, perRequest, connections, daemonCount);
        out.printf("elapsed: %.2f s, attachments/s: %.1f%n", seconds, fileTotal / seconds);
        out.printf("request latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(latencies, 0.50),
                percentile(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
        out.printf("verdicts: good %d, bad %d, unchecked %d; failed requests %d%n", verdicts.get(Verdict.GOOD).get(),
                verdicts.get(Verdict.BAD).get(), verdicts.get(Verdict.UNCHECKED).get(), errors);
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
