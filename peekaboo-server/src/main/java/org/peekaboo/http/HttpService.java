package org.peekaboo.http;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.listener.SpoolDirectory;

/**
 * What every connection of the HTTP front end shares.
 *
 * @param journal  the stored analyses, for the postmaster's pages
 * @param blocking runs database calls off the event loops
 * @param metrics  the body of {@code GET /metrics} in Prometheus' text format, if metrics are on
 * @param clock    the time the postmaster's pages count back from
 */
public record HttpService(HttpSettings settings, ScanService engine, HttpJobs jobs, AnalysisJournal journal,
                          SpoolDirectory spool, Executor blocking, Optional<Supplier<String>> metrics, Clock clock) {
    public HttpService {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
    }
}
