package org.peekaboo.ruleset.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.ReportShape;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.SampleContext;

/** A report source handing out one fake report, or failing like a broken analysis; counts computations. */
public final class FakeReportSource implements ReportSource<ReportObject> {
    private final String name;
    private final FakeReport report;
    private final Exception failure;
    private final AtomicInteger computed = new AtomicInteger();

    private FakeReportSource(String name, FakeReport report, Exception failure) {
        this.name = name;
        this.report = report;
        this.failure = failure;
    }

    public static FakeReportSource of(String name, FakeReport report) {
        return new FakeReportSource(name, report, null);
    }

    /** A source whose report cannot be computed; its shape has no attributes. */
    public static FakeReportSource failing(String name, Exception failure) {
        return new FakeReportSource(name, new FakeReport(name), failure);
    }

    public int computed() {
        return computed.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReportObject compute(SampleContext context) throws Exception {
        computed.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return report;
    }

    @Override
    public ReportShape shape() {
        return failure != null ? ReportShape.unchecked() : report.shape();
    }
}
