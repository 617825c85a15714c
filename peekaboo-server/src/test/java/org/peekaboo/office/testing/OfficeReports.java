package org.peekaboo.office.testing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.ruleset.KnownResults;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.sample.FileTypeDetector;

/**
 * The Office macro analysis handed to the ruleset loader as the daemon's wiring hands it, for
 * tests that load rulesets with the Office rules or {@code olereport} expressions.
 */
public final class OfficeReports {

    private OfficeReports() {
    }

    /** The daemon's {@code olereport}: real macro analysis with the default limits. */
    public static OleReportSource source() {
        return OleReportSource.withDefaultLimits();
    }

    /** {@code olereport} followed by {@code reports}, in the order the daemon gives them. */
    public static List<ReportSource<?>> with(List<? extends ReportSource<?>> reports) {
        List<ReportSource<?>> all = new ArrayList<>();
        all.add(source());
        all.addAll(reports);
        return List.copyOf(all);
    }

    /** A loader with {@code olereport} and without Cortex, as the daemon has one without analyzers.conf. */
    public static RulesetLoader loader(KnownResults known, FileTypeDetector detector) {
        return new RulesetLoader(known, detector, Clock.systemUTC(), with(List.of()));
    }
}
