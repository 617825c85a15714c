package org.peekaboo.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusJsonTest {

    @Test
    void aStatusSurvivesTheWayThroughJson() {
        DaemonStatus healthy = StatusSamples.healthy();
        DaemonStatus degraded = StatusSamples.withCortex(StatusSamples.withDatabase(healthy,
                        StatusSamples.MARIADB.unavailable(Instant.parse("2026-12-06T12:03:04Z"), "Connection refused")),
                new DaemonStatus.Cortex(Optional.of("http://cortex:9001/"), Optional.of(Instant.parse(
                        "2026-12-06T11:00:00Z")), Optional.of("connect timed out")));
        DaemonStatus embedded = new DaemonStatus("(development build)", "a", healthy.at(), healthy.startedAt(),
                List.of(), new DaemonStatus.Database("H2", "jdbc:h2:/var/lib/peekaboo/peekaboo", Optional.empty(),
                Optional.empty()), DaemonStatus.Cortex.NOT_CONFIGURED,
                new DaemonStatus.Engine(0, 0, 0, Duration.ZERO), Optional.empty());

        for (DaemonStatus status : List.of(healthy, degraded, embedded)) {
            assertThat(StatusJson.fromJson(StatusJson.parse(StatusJson.line(status)))).isEqualTo(status);
        }
    }

    @Test
    void machinesReadHealthAndTimesWithoutParsingText() {
        String line = StatusJson.line(StatusSamples.withDatabase(StatusSamples.healthy(),
                StatusSamples.MARIADB.unavailable(Instant.parse("2026-12-06T12:03:04Z"), "Connection refused")));

        assertThat(line).doesNotContain("\n")
                .contains("\"health\":\"degraded\"")
                .contains("\"available\":false,\"unavailable_since\":\"2026-12-06T12:03:04Z\"")
                .contains("\"uptime_ms\":7389250")
                .contains("{\"id\":\"host2-9c01\",\"locks\":1,\"newest_lock\":\"2026-12-06T12:02:58.500Z\"}");
    }

    @Test
    void aStatusWithoutItsPartsIsRefusedNamingTheMissingOne() {
        String line = StatusJson.line(StatusSamples.healthy()).replace("\"engine\"", "\"motor\"");

        assertThatThrownBy(() -> StatusJson.fromJson(StatusJson.parse(line)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("status without object \"engine\"");
        assertThatThrownBy(() -> StatusJson.parse("pong")).isInstanceOf(IllegalArgumentException.class);
    }
}
