package org.peekaboo.http;

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
 * @param blocking runs database calls off the event loops
 * @param metrics  the body of {@code GET /metrics} in Prometheus' text format, if metrics are on
 */
public record HttpService(HttpSettings settings, ScanService engine, HttpJobs jobs, SpoolDirectory spool,
                          Executor blocking, Optional<Supplier<String>> metrics) {
    public HttpService {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(metrics, "metrics");
    }
}
