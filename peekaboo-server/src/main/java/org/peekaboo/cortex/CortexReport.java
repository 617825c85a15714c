package org.peekaboo.cortex;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.peekaboo.ruleset.ExternalWaits;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.ReportShape;
import org.peekaboo.sample.Sample;

/**
 * {@code cortexreport} for one sample: each attribute is one analyzer's report, submitted to
 * Cortex when a rule first asks for it. Confined to the worker judging the sample, which
 * blocks until the report is there or the analysis has failed.
 */
public final class CortexReport implements ReportObject {
    public static final Set<String> ATTRIBUTES = reportNames();

    /** What expressions may look up in {@code cortexreport}: each analyzer's report and its attributes. */
    public static final ReportShape SHAPE = ReportShape.report(Arrays.stream(CortexAnalyzer.values())
            .collect(Collectors.toMap(CortexAnalyzer::reportName, CortexAnalyzer::shape, (a, b) -> a,
                    LinkedHashMap::new)));

    private final Sample sample;
    private final CortexClient client;
    private final Duration patience;
    private final ExternalWaits waits;
    private final Map<CortexAnalyzer, AnalyzerReport> reports = new EnumMap<>(CortexAnalyzer.class);

    /**
     * @param patience how long to wait for a report at most; the client fails jobs after their
     *                 maximum age itself, so this only guards against a future that never completes
     */
    CortexReport(Sample sample, CortexClient client, Duration patience, ExternalWaits waits) {
        this.sample = sample;
        this.client = client;
        this.patience = patience;
        this.waits = waits;
    }

    private static Set<String> reportNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (CortexAnalyzer analyzer : CortexAnalyzer.values()) {
            names.add(analyzer.reportName());
        }
        return Collections.unmodifiableSequencedSet(names);
    }

    @Override
    public Set<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Object attribute(String name) throws Exception {
        CortexAnalyzer analyzer = CortexAnalyzer.byReportName(name)
                .orElseThrow(() -> new UnknownAttributeException("cortexreport", name));
        AnalyzerReport report = reports.get(analyzer);
        if (report == null) {
            report = await(analyzer);
            reports.put(analyzer, report);
        }
        return report;
    }

    private AnalyzerReport await(CortexAnalyzer analyzer) throws CortexException, InterruptedException {
        try {
            return waits.await(client.analyze(sample, analyzer), patience);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CortexException cortex) {
                throw cortex;
            }
            throw new CortexException("Cortex " + analyzer.reportName() + " for sample " + sample.sha256()
                    + " failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new CortexException("Cortex " + analyzer.reportName() + " for sample " + sample.sha256()
                    + ": no report within " + patience.toSeconds() + " s");
        }
    }

    @Override
    public String toString() {
        return "cortexreport" + reports.keySet();
    }
}
