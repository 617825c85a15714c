package org.peekaboo.ruleset;

/**
 * Computes one kind of report for a sample on demand ({@code filereport}, {@code olereport},
 * {@code cortexreport}, …). Sources are shared by all workers and stateless; the
 * {@link SampleContext} caches what they compute for the one sample it holds.
 */
public interface ReportSource<T> {

    /** The identifier expressions use for this report, e.g. {@code olereport}. */
    String name();

    /** Computes the report; called at most once per sample while it succeeds. */
    T compute(SampleContext context) throws Exception;

    /**
     * The attributes expressions may look up in this source's reports, for checking
     * expressions at start-up. A source that does not describe them is only checked when
     * a sample is judged.
     */
    default ReportShape shape() {
        return ReportShape.unchecked();
    }
}
