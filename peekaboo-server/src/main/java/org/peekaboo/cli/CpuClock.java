package org.peekaboo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by the bench client and, when its PID is known, by the daemon, over the
 * timed part of a run. On a small machine the load generator shares the cores with the
 * daemon, so its own cost per request must be visible; the daemon's CPU per file is less
 * noisy than its throughput when other work runs on the same cores.
 */
record CpuClock(long clientStartNanos, long daemonStartTicks, Long daemonPid) {
    /**
     * Linux reports process times in clock ticks of USER_HZ, which is 100 on every
     * architecture the JDK runs on (sysconf(_SC_CLK_TCK) is not reachable from Java).
     */
    private static final double MILLIS_PER_TICK = 10.0;

    static CpuClock start(Long daemonPid) {
        return new CpuClock(clientCpuNanos(), daemonTicks(daemonPid), daemonPid);
    }

    Spent stop() {
        long daemonTicks = daemonTicks(daemonPid);
        double daemonMillis = daemonTicks < 0 || daemonStartTicks < 0 ? -1
                : (daemonTicks - daemonStartTicks) * MILLIS_PER_TICK;
        return new Spent((clientCpuNanos() - clientStartNanos) / 1e6, daemonMillis);
    }

    /** Milliseconds of CPU (user and system); the daemon's is negative when unknown. */
    record Spent(double clientMillis, double daemonMillis) {
        void print(PrintWriter out, int requests, int files) {
            out.printf("client CPU: %.3f ms per request (%.0f ms in total)%n", clientMillis / requests, clientMillis);
            if (daemonMillis >= 0) {
                out.printf("daemon CPU: %.3f ms per file (%.0f ms in total)%n", daemonMillis / files, daemonMillis);
            }
            out.flush();
        }
    }

    private static long clientCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** utime + stime of {@code pid} from /proc, or -1 when there is no such process or no /proc. */
    static long daemonTicks(Long pid) {
        if (pid == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
            // The command name in parentheses may contain spaces; the fields after it do not.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3 of proc(5)), so utime (14) and stime (15) are 11 and 12
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
