package org.peekaboo.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.time.Duration;
import java.util.List;
import org.peekaboo.analysis.ScanJob;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.sample.SampleDeclaration;

/**
 * The engine as one front end sees it, counting that front end's requests: the front ends stay
 * free of metrics, and a request is counted once whichever way it later ends.
 */
record CountedRequests(ScanService engine, CounterDataPoint requests) implements ScanService {
    @Override
    public ScanJob start(List<SampleDeclaration> declarations, Duration patience) {
        requests.inc();
        return engine.start(declarations, patience);
    }
}
