package org.peekaboo.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.peekaboo.analysis.AnalysisEvents;
import org.peekaboo.analysis.EngineLoad;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The daemon's metrics, in a registry of its own (never the library's process-wide default, so
 * that two daemons in one JVM, as in the tests, count apart), and their exposition in Prometheus'
 * text format for the HTTP front end's {@code /metrics}. The names, types and labels are listed in
 * {@code docs/metrics.md}. Thread-safe: the engine reports from many threads at once, and a
 * scrape reads while it does.
 */
public final class PeekabooMetrics implements AnalysisEvents {
    // Counters and histograms are built without exemplars: Peekaboo traces nothing, and looking
    // for a span on every increment would cost on each sample for nothing.

    /** From half a millisecond (a known sample's look-up) to a quarter of an hour (a Cortex job). */
    private static final double[] SECONDS_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter verdicts;
    private final Counter knownHits;
    private final Counter duplicateHits;
    private final Histogram stages;
    private final Map<Stage, io.prometheus.metrics.core.datapoints.DistributionDataPoint> stageTimes =
            new EnumMap<>(Stage.class);
    private final Counter databaseErrors;
    private final Counter cortexErrors;
    private final Histogram lockWaits;
    private final Counter lockTakeovers;
    private final Counter requests;

    /** @param version the daemon's version, for {@code peekaboo_build_info} */
    public PeekabooMetrics(String version) {
        Objects.requireNonNull(version, "version");
        verdicts = Counter.builder().name("peekaboo_verdicts_total")
                .help("Samples decided, by result and deciding rule (members of containers included)")
                .labelNames("result", "rule").withoutExemplars().register(registry);
        knownHits = Counter.builder().name("peekaboo_known_hits_total")
                .help("Samples answered from earlier results (the known rule)").withoutExemplars().register(registry);
        duplicateHits = Counter.builder().name("peekaboo_duplicate_hits_total")
                .help("Samples answered by an identical sample being judged at the same time").withoutExemplars().register(registry);
        stages = Histogram.builder().name("peekaboo_stage_duration_seconds")
                .help("Time per step of a sample's way: read, type, rules, store, cortex")
                .labelNames("stage").classicOnly().classicUpperBounds(SECONDS_BUCKETS).withoutExemplars()
                .register(registry);
        for (Stage stage : Stage.values()) {
            stageTimes.put(stage, stages.labelValues(label(stage)));
        }
        databaseErrors = Counter.builder().name("peekaboo_database_errors_total")
                .help("Database operations that failed, by operation (store, lock)")
                .labelNames("operation").withoutExemplars().register(registry);
        for (DatabaseOperation operation : DatabaseOperation.values()) {
            databaseErrors.labelValues(label(operation)).inc(0);
        }
        cortexErrors = Counter.builder().name("peekaboo_cortex_errors_total")
                .help("Cortex analyses that ended without a report (error, timeout, abandoned)").withoutExemplars().register(registry);
        lockWaits = Histogram.builder().name("peekaboo_lock_wait_seconds")
                .help("Waits for another instance's lock on the same sample")
                .classicOnly().classicUpperBounds(SECONDS_BUCKETS).withoutExemplars().register(registry);
        lockTakeovers = Counter.builder().name("peekaboo_lock_takeovers_total")
                .help("Samples analysed here after another instance let their lock go without a result")
                .withoutExemplars().register(registry);
        requests = Counter.builder().name("peekaboo_requests_total")
                .help("Scan requests per front end").labelNames("frontend").withoutExemplars().register(registry);
        for (FrontEnd frontEnd : FrontEnd.values()) {
            requests.labelValues(frontEnd.label()).inc(0);
        }
        Info build = Info.builder().name("peekaboo_build_info").help("The running Peekaboo")
                .labelNames("version", "java").register(registry);
        build.addLabelValues(version, Runtime.version().toString());
    }

    /** Watches the engine's queue, samples in flight and the age of the oldest, read at each scrape. */
    public void watch(EngineLoad load) {
        Objects.requireNonNull(load, "load");
        GaugeWithCallback.builder().name("peekaboo_queue_length")
                .help("Samples waiting for a worker")
                .callback(callback -> callback.call(load.waitingForPermits())).register(registry);
        GaugeWithCallback.builder().name("peekaboo_lock_waiting")
                .help("Samples waiting for another instance's lock")
                .callback(callback -> callback.call(load.waitingForOtherInstances())).register(registry);
        GaugeWithCallback.builder().name("peekaboo_samples_in_flight")
                .help("Samples being judged (from the look-up of earlier results to the stored verdict)")
                .callback(callback -> callback.call(load.samplesInFlight())).register(registry);
        GaugeWithCallback.builder().name("peekaboo_oldest_in_flight_seconds")
                .help("How long the oldest sample in flight has been; 0 when none is")
                .callback(callback -> callback.call(seconds(load.oldestInFlight()))).register(registry);
    }

    /** {@code engine} as {@code frontEnd} should see it: the same, its requests counted. */
    public ScanService countingRequests(ScanService engine, FrontEnd frontEnd) {
        return new CountedRequests(Objects.requireNonNull(engine, "engine"), requests.labelValues(frontEnd.label()));
    }

    /** {@code detector}, its detections timed as the {@code type} stage. */
    public FileTypeDetector timing(FileTypeDetector detector) {
        return new TimedTypeDetector(Objects.requireNonNull(detector, "detector"), this);
    }

    /** The MIME type of {@link #scrape()}'s text, for the HTTP response. */
    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Every metric now, in Prometheus' text format (version 0.0.4). */
    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    /** As {@link #writeTo}, as a string. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array cannot fail", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void sampleDecided(SampleVerdict verdict, Origin origin) {
        verdicts.labelValues(verdict.result().label(), verdict.rule()).inc();
        switch (origin) {
            case KNOWN -> knownHits.inc();
            case DUPLICATE -> duplicateHits.inc();
            default -> {
                // Counted among the verdicts only.
            }
        }
    }

    @Override
    public void stageTook(Stage stage, Duration took) {
        stageTimes.get(stage).observe(seconds(took));
    }

    @Override
    public void databaseFailed(DatabaseOperation operation) {
        databaseErrors.labelValues(label(operation)).inc();
    }

    @Override
    public void cortexAnswered(Duration took, boolean failed) {
        stageTook(Stage.CORTEX, took);
        if (failed) {
            cortexErrors.inc();
        }
    }

    @Override
    public void lockWaited(Duration took) {
        lockWaits.observe(seconds(took));
    }

    @Override
    public void lockTakenOver() {
        lockTakeovers.inc();
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
