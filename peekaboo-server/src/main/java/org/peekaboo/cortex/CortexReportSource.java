package org.peekaboo.cortex;

import java.time.Duration;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.ruleset.ReportShape;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.SampleContext;

/** The {@code cortexreport} of expressions: analyzer reports from Cortex, fetched on demand. */
public final class CortexReportSource implements ReportSource<CortexReport> {
    public static final String NAME = "cortexreport";

    private final CortexClient client;
    private final Duration patience;

    public CortexReportSource(CortexClient client, CortexSettings settings) {
        this.client = client;
        // The client ends every job by its maximum age; the margin covers the report fetch and its retries.
        this.patience = settings.maxJobAge().plus(settings.requestTimeout().multipliedBy(2L * (settings.retries() + 1)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CortexReport compute(SampleContext context) {
        return new CortexReport(context.sample(), client, patience, context.externalWaits());
    }

    @Override
    public ReportShape shape() {
        return CortexReport.SHAPE;
    }
}
