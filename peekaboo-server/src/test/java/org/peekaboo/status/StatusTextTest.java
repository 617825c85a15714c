package org.peekaboo.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTextTest {
    private static final Instant DOWN = Instant.parse("2026-12-06T12:03:04Z");

    @Test
    void theReportNamesEveryPartForAnOperator() {
        assertThat(StatusText.report(StatusSamples.healthy())).containsExactly(
                "Peekaboo 2.1.0, instance host1-4f2a",
                "health:    ok",
                "uptime:    2 h 3 min (since 2026-12-06T10:00:00Z)",
                "listeners:",
                "  line unix:/run/peekaboo/peekaboo.sock (mode 0660, group amavis)",
                "  clamd tcp:127.0.0.1:3310 (profile postfix)",
                "  http tcp:127.0.0.1:8100",
                "database:  MariaDB jdbc:mariadb://db1:3306/peekaboo?password=***, ok",
                "cortex:    http://cortex:9001/, ok",
                "samples:   3 in flight (oldest 2 s), 2 queued, 1 waiting for other instances",
                "cluster:   2 instances holding sample locks",
                "  host1-4f2a (this one): 3 locks, newest taken 2026-12-06T12:03:07Z",
                "  host2-9c01: 1 lock, newest taken 2026-12-06T12:02:58.500Z");
    }

    @Test
    void outagesSaySinceWhenAndWhy() {
        DaemonStatus status = StatusSamples.withCortex(StatusSamples.withDatabase(StatusSamples.healthy(),
                        StatusSamples.MARIADB.unavailable(DOWN, "Connection refused")),
                new DaemonStatus.Cortex(Optional.of("http://cortex:9001/"), Optional.of(DOWN.minusSeconds(3600)),
                        Optional.of("connect timed out")));

        assertThat(status.health()).isEqualTo(DaemonStatus.Health.DEGRADED);
        assertThat(StatusText.report(status))
                .contains("health:    degraded",
                        "database:  MariaDB jdbc:mariadb://db1:3306/peekaboo?password=***, unavailable since"
                                + " 2026-12-06T12:03:04Z (5 s): Connection refused",
                        "cortex:    http://cortex:9001/, failing since 2026-12-06T11:03:04Z (1 h): connect timed out");
        assertThat(StatusText.systemdLine(status)).isEqualTo("Serving: 3 listeners, 3 in flight (oldest 2 s), queue 2;"
                + " database unavailable since 12:03:04 UTC; Cortex failing since 11:03:04 UTC");
    }

    @Test
    void anIdleEmbeddedDaemonSaysWhatItLacks() {
        DaemonStatus idle = new DaemonStatus("2.1.0", "a", StatusSamples.NOW, StatusSamples.NOW.minusSeconds(42),
                StatusSamples.LISTENERS.subList(0, 1), StatusSamples.MARIADB, DaemonStatus.Cortex.NOT_CONFIGURED,
                new DaemonStatus.Engine(0, 0, 0, Duration.ZERO), Optional.empty());

        assertThat(StatusText.report(idle)).contains("uptime:    42 s (since 2026-12-06T12:02:27.250Z)",
                "cortex:    not configured", "samples:   0 in flight, 0 queued, 0 waiting for other instances",
                "cluster:   not shared (the embedded database is this process's alone)");
        assertThat(StatusText.systemdLine(idle)).isEqualTo("Serving: 1 listener, 0 in flight, queue 0; database ok");
    }

    @Test
    void aLockTableThatCouldNotBeReadIsShownAsUnknown() {
        DaemonStatus healthy = StatusSamples.healthy();
        DaemonStatus unread = new DaemonStatus(healthy.version(), healthy.instanceId(), healthy.at(),
                healthy.startedAt(), healthy.listeners(), healthy.database(), healthy.cortex(), healthy.engine(),
                Optional.of(new DaemonStatus.Cluster(List.of(), Optional.of("the lock table did not answer"))));

        assertThat(StatusText.report(unread)).endsWith("cluster:   unknown, the lock table did not answer");
    }

    @Test
    void durationsKeepTheirTwoLargestUnits() {
        assertThat(StatusText.duration(Duration.ZERO)).isEqualTo("0 s");
        assertThat(StatusText.duration(Duration.ofMillis(59_999))).isEqualTo("59 s");
        assertThat(StatusText.duration(Duration.ofSeconds(303))).isEqualTo("5 min 3 s");
        assertThat(StatusText.duration(Duration.ofHours(2))).isEqualTo("2 h");
        assertThat(StatusText.duration(Duration.ofHours(52).plusMinutes(7))).isEqualTo("2 d 4 h");
    }
}
