package org.peekaboo.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The status as people read it: {@code peekaboo status}'s report and systemd's one-line state. */
public final class StatusText {
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private StatusText() {
    }

    /** The report {@code peekaboo status} prints, one line per fact. */
    public static List<String> report(DaemonStatus status) {
        List<String> lines = new ArrayList<>();
        lines.add("Peekaboo " + status.version() + ", instance " + status.instanceId());
        lines.add("health:    " + (status.health() == DaemonStatus.Health.OK ? "ok" : "degraded"));
        lines.add("uptime:    " + duration(status.uptime()) + " (since " + status.startedAt() + ")");
        lines.add("listeners:");
        for (DaemonStatus.Listener listener : status.listeners()) {
            lines.add("  " + listener.frontEnd() + " " + listener.address()
                    + listener.profile().map(profile -> " (profile " + profile + ")").orElse(""));
        }
        DaemonStatus.Database db = status.database();
        lines.add("database:  " + db.kind() + " " + db.url() + ", " + (db.available() ? "ok"
                : "unavailable " + since(db.unavailableSince().orElseThrow(), status.at())
                + db.diagnosis().map(why -> ": " + why).orElse("")));
        DaemonStatus.Cortex cortex = status.cortex();
        lines.add("cortex:    " + (!cortex.configured() ? "not configured" : cortex.url().orElseThrow() + ", "
                + (!cortex.failing() ? "ok" : "failing " + since(cortex.failingSince().orElseThrow(), status.at())
                + cortex.lastError().map(why -> ": " + why).orElse(""))));
        DaemonStatus.Engine engine = status.engine();
        lines.add("samples:   " + inFlight(engine) + ", " + engine.queued() + " queued, " + engine.waitingForOthers()
                + " waiting for other instances");
        lines.addAll(cluster(status));
        return List.copyOf(lines);
    }

    private static List<String> cluster(DaemonStatus status) {
        if (status.cluster().isEmpty()) {
            return List.of("cluster:   not shared (the embedded database is this process's alone)");
        }
        DaemonStatus.Cluster cluster = status.cluster().get();
        if (cluster.error().isPresent()) {
            return List.of("cluster:   unknown, " + cluster.error().get());
        }
        List<String> lines = new ArrayList<>();
        lines.add("cluster:   " + cluster.instances().size() + (cluster.instances().size() == 1 ? " instance" : " instances")
                + " holding sample locks");
        for (DaemonStatus.Instance instance : cluster.instances()) {
            lines.add("  " + instance.id() + (instance.id().equals(status.instanceId()) ? " (this one)" : "") + ": "
                    + instance.locks() + (instance.locks() == 1 ? " lock" : " locks") + ", newest taken "
                    + instance.newestLock());
        }
        return lines;
    }

    /**
     * The state line for {@code systemctl status}, short and without the lock table (it is
     * built often, from memory): e.g. {@code Serving: 2 listeners, 3 in flight (oldest 2 s),
     * queue 0; database ok}.
     */
    public static String systemdLine(DaemonStatus status) {
        DaemonStatus.Engine engine = status.engine();
        int listeners = status.listeners().size();
        StringBuilder line = new StringBuilder("Serving: ").append(listeners)
                .append(listeners == 1 ? " listener, " : " listeners, ").append(inFlight(engine))
                .append(", queue ").append(engine.queued()).append("; database ");
        DaemonStatus.Database db = status.database();
        line.append(db.available() ? "ok" : "unavailable since " + TIME_OF_DAY.format(db.unavailableSince().orElseThrow()));
        status.cortex().failingSince().ifPresent(since -> line.append("; Cortex failing since ")
                .append(TIME_OF_DAY.format(since)));
        return line.toString();
    }

    private static String inFlight(DaemonStatus.Engine engine) {
        return engine.inFlight() + " in flight"
                + (engine.inFlight() == 0 ? "" : " (oldest " + duration(engine.oldestInFlight()) + ")");
    }

    private static String since(Instant since, Instant now) {
        return "since " + since + " (" + duration(Duration.between(since, now)) + ")";
    }

    /** Whole seconds, or the two largest units: {@code 0 s}, {@code 42 s}, {@code 5 min 3 s}, {@code 2 d 4 h}. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        long[] amounts = {seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60};
        String[] units = {"d", "h", "min", "s"};
        for (int i = 0; i < amounts.length - 1; i++) {
            if (amounts[i] > 0) {
                return amounts[i] + " " + units[i] + (amounts[i + 1] > 0 ? " " + amounts[i + 1] + " " + units[i + 1] : "");
            }
        }
        return seconds + " s";
    }
}
