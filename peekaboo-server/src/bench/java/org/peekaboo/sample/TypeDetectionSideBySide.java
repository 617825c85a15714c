package org.peekaboo.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The benchmark's comparison for busy machines: JMH measures one benchmark after another,
 * so load that comes and goes skews their ratio; this alternates short batches of today's
 * detector and the new one on the same sample and reports the median of each, so both
 * see the same machine. {@code scripts/bench-types side-by-side} runs it.
 */
public final class TypeDetectionSideBySide {
    private static final int ROUNDS = 41;
    private static final long BATCH_NANOS = 50_000_000;

    private TypeDetectionSideBySide() {
    }

    public static void main(String[] args) throws Exception {
        TodaysTikaFileTypeDetector today = new TodaysTikaFileTypeDetector();
        TikaFileTypeDetector magic = new TikaFileTypeDetector();
        if (!magic.detectsWithTikaMagic()) {
            throw new IllegalStateException("TikaFileTypeDetector does not use TikaMagic here");
        }
        List<String> samples = args.length > 0 ? List.of(args)
                : List.of("small-text", "large-text", "pdf", "ole2", "ooxml", "png", "random");
        System.out.printf("%-11s %-28s %12s %12s %8s %12s %8s%n", "sample", "type", "today µs", "new file µs", "ratio",
                "new head µs", "ratio");
        for (String sample : samples) {
            Path file = Files.createTempFile("type-bench-", "");
            try {
                Files.write(file, TypeDetectionBenchmark.content(sample));
                FileHead head = FileHead.read(file);
                String type = today.typeByContent(file);
                if (!type.equals(magic.typeByContent(file)) || !type.equals(magic.typeByContent(head))) {
                    throw new IllegalStateException(sample + ": the detectors disagree");
                }
                double[][] micros = measure(List.of(() -> today.typeByContent(file), () -> magic.typeByContent(file),
                        () -> magic.typeByContent(head)));
                double old = median(micros[0]);
                double fromFile = median(micros[1]);
                double fromHead = median(micros[2]);
                System.out.printf("%-11s %-28s %12.1f %12.1f %7.1fx %12.1f %7.1fx%n", sample, type, old, fromFile,
                        old / fromFile, fromHead, old / fromHead);
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Microseconds per call of each task, one figure per round, the tasks taking turns. */
    private static double[][] measure(List<Callable<String>> tasks) throws Exception {
        double[][] micros = new double[tasks.size()][ROUNDS];
        for (int round = -10; round < ROUNDS; round++) { // the first ten rounds warm up
            for (int task = 0; task < tasks.size(); task++) {
                double perCall = batch(tasks.get(task));
                if (round >= 0) {
                    micros[task][round] = perCall;
                }
            }
        }
        return micros;
    }

    private static double batch(Callable<String> task) throws Exception {
        long start = System.nanoTime();
        long calls = 0;
        int sink = 0;
        do {
            sink += task.call().length();
            calls++;
        } while (System.nanoTime() - start < BATCH_NANOS);
        if (sink == 42) {
            System.out.print("");
        }
        return (System.nanoTime() - start) / 1e3 / calls;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
