package org.peekaboo.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Statuses as a daemon would report them, for the tests of this package. */
final class StatusSamples {
    static final Instant STARTED = Instant.parse("2026-12-06T10:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-06T12:03:09.250Z");
    static final List<DaemonStatus.Listener> LISTENERS = List.of(
            new DaemonStatus.Listener("line", "unix:/run/peekaboo/peekaboo.sock (mode 0660, group amavis)",
                    Optional.empty()),
            new DaemonStatus.Listener("clamd", "tcp:127.0.0.1:3310", Optional.of("postfix")),
            new DaemonStatus.Listener("http", "tcp:127.0.0.1:8100", Optional.empty()));
    static final DaemonStatus.Database MARIADB = new DaemonStatus.Database("MariaDB",
            "jdbc:mariadb://db1:3306/peekaboo?password=***", Optional.empty(), Optional.empty());

    private StatusSamples() {
    }

    /** Two instances holding locks, a busy engine, everything reachable. */
    static DaemonStatus healthy() {
        return new DaemonStatus("2.1.0", "host1-4f2a", NOW, STARTED, LISTENERS, MARIADB,
                new DaemonStatus.Cortex(Optional.of("http://cortex:9001/"), Optional.empty(), Optional.empty()),
                new DaemonStatus.Engine(2, 1, 3, Duration.ofMillis(2_400)),
                Optional.of(new DaemonStatus.Cluster(List.of(
                        new DaemonStatus.Instance("host1-4f2a", 3, Instant.parse("2026-12-06T12:03:07Z")),
                        new DaemonStatus.Instance("host2-9c01", 1, Instant.parse("2026-12-06T12:02:58.500Z"))),
                        Optional.empty())));
    }

    static DaemonStatus withDatabase(DaemonStatus status, DaemonStatus.Database database) {
        return new DaemonStatus(status.version(), status.instanceId(), status.at(), status.startedAt(),
                status.listeners(), database, status.cortex(), status.engine(), status.cluster());
    }

    static DaemonStatus withCortex(DaemonStatus status, DaemonStatus.Cortex cortex) {
        return new DaemonStatus(status.version(), status.instanceId(), status.at(), status.startedAt(),
                status.listeners(), status.database(), cortex, status.engine(), status.cluster());
    }
}
