package org.peekaboo.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How systemd's variables are read: the socket, the watchdog's period and whose watchdog it is. */
class NotifyEnvironmentTest {
    private static final long PID = 4242;

    @Test
    void withoutNotifySocketThereIsNothingToTell() {
        NotifyEnvironment read = NotifyEnvironment.from(Map.of("WATCHDOG_USEC", "30000000", "HOME", "/root"), PID);
        assertThat(read.socket()).isEmpty();
        assertThat(read.watchdogInterval()).as("no socket to ping").isEmpty();
        assertThat(read.warnings()).isEmpty();
        assertThat(NotifyEnvironment.from(Map.of("NOTIFY_SOCKET", ""), PID).socket()).isEmpty();
    }

    @Test
    void pathsAndAbstractNamesAreTakenAsGiven() {
        assertThat(NotifyEnvironment.from(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), PID).socket())
                .hasValue("/run/systemd/notify");
        assertThat(NotifyEnvironment.from(Map.of("NOTIFY_SOCKET", "@/org/freedesktop/systemd1/notify/123"), PID)
                .socket()).hasValue("@/org/freedesktop/systemd1/notify/123");
    }

    @Test
    void theWatchdogIsPingedEveryHalfTimeout() {
        NotifyEnvironment read = NotifyEnvironment.from(
                Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000"), PID);
        assertThat(read.watchdogInterval()).hasValue(Duration.ofSeconds(15));
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsNotFed() {
        assertThat(NotifyEnvironment.from(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", "17"), PID).watchdogInterval()).isEmpty();
        assertThat(NotifyEnvironment.from(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", Long.toString(PID)), PID).watchdogInterval()).hasValue(Duration.ofSeconds(15));
    }

    @Test
    void unusableValuesAreWarnedAbout() {
        NotifyEnvironment badWatchdog = NotifyEnvironment.from(
                Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "soon"), PID);
        assertThat(badWatchdog.socket()).isPresent();
        assertThat(badWatchdog.watchdogInterval()).isEmpty();
        assertThat(badWatchdog.warnings()).singleElement().asString().contains("WATCHDOG_USEC=soon");

        NotifyEnvironment vsock = NotifyEnvironment.from(Map.of("NOTIFY_SOCKET", "vsock:2:1234"), PID);
        assertThat(vsock.socket()).isEmpty();
        assertThat(vsock.warnings()).singleElement().asString().contains("vsock:2:1234");
    }
}
