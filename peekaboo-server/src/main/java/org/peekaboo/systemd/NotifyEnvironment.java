package org.peekaboo.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What systemd's service manager told this process through its environment: where to send
 * notifications and how often to ping the watchdog. Read once at start, from a map the caller
 * passes, so that a test can name a socket of its own.
 *
 * @param socket           {@code NOTIFY_SOCKET}, as given (a leading {@code @} means the abstract namespace)
 * @param watchdogInterval half of {@code WATCHDOG_USEC}, when the watchdog is meant for this process
 * @param warnings         what was set but could not be used, for the daemon's log
 */
public record NotifyEnvironment(Optional<String> socket, Optional<Duration> watchdogInterval, List<String> warnings) {
    public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";
    public static final String WATCHDOG_USEC = "WATCHDOG_USEC";
    public static final String WATCHDOG_PID = "WATCHDOG_PID";

    public NotifyEnvironment {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(watchdogInterval, "watchdogInterval");
        warnings = List.copyOf(warnings);
    }

    /** Nothing to notify: not started by systemd, or by a unit that is not {@code Type=notify}. */
    public static NotifyEnvironment none() {
        return new NotifyEnvironment(Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * @param environment the process environment (or a test's)
     * @param pid         this process' id: a {@code WATCHDOG_PID} naming another process (a
     *                    wrapper script's child, say) means the watchdog is not ours to feed
     */
    public static NotifyEnvironment from(Map<String, String> environment, long pid) {
        String socket = environment.get(NOTIFY_SOCKET);
        if (socket == null || socket.isEmpty()) {
            return none();
        }
        List<String> warnings = new ArrayList<>();
        if (!socket.startsWith("/") && !socket.startsWith("@")) {
            // systemd 254 also hands out vsock: addresses (for virtual machines); a daemon on the
            // host never gets one, and sending readiness nowhere would hang the start: say why.
            warnings.add(NOTIFY_SOCKET + "=" + socket + " is neither a path nor an abstract name: systemd is not told"
                    + " that Peekaboo is ready");
            return new NotifyEnvironment(Optional.empty(), Optional.empty(), warnings);
        }
        return new NotifyEnvironment(Optional.of(socket), watchdogInterval(environment, pid, warnings), warnings);
    }

    private static Optional<Duration> watchdogInterval(Map<String, String> environment, long pid,
                                                       List<String> warnings) {
        String usec = environment.get(WATCHDOG_USEC);
        if (usec == null || usec.isEmpty()) {
            return Optional.empty();
        }
        String watchdogPid = environment.get(WATCHDOG_PID);
        if (watchdogPid != null && !watchdogPid.isEmpty() && !watchdogPid.equals(Long.toString(pid))) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(usec);
        } catch (NumberFormatException e) {
            micros = 0;
        }
        if (micros <= 0) {
            warnings.add(WATCHDOG_USEC + "=" + usec + " is no positive number of microseconds: the watchdog is not fed");
            return Optional.empty();
        }
        // Half the timeout, as sd_watchdog_enabled(3) advises: one late ping is no restart.
        return Optional.of(Duration.ofNanos(Math.multiplyExact(micros, 1000L) / 2));
    }
}
