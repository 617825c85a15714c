package org.peekaboo.db.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;

/**
 * Run in a process of its own to race other processes for sample locks. Arguments: JDBC URL,
 * user, instance id. Prints {@code RACE READY} once connected, then answers every input line
 * {@code <identity> <start epoch millis>} by waiting for that instant, trying to acquire the
 * identity and printing {@code RACE <identity> true|false}. Ends with its standard input.
 * Protocol lines start with {@code RACE } because log output shares standard output.
 */
public final class RaceForSampleLocks {
    public static final String PREFIX = "RACE ";
    public static final String READY = PREFIX + "READY";
    private static final Duration LEASE = Duration.ofMinutes(1);

    private RaceForSampleLocks() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Database database = Database.open(new DatabaseSettings(args[0], args[1], "", 2))) {
            SampleLocks locks = database.sampleLocks(args[2]);
            // Warms the connection and the statement path, so the first race is no slower than the rest.
            locks.leases(List.of("0".repeat(64)));
            out.println(READY);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] fields = line.split(" ");
                waitUntil(Long.parseLong(fields[1]));
                boolean acquired = locks.tryAcquire(fields[0], Instant.now(), LEASE);
                out.println(PREFIX + fields[0] + " " + acquired);
            }
        }
    }

    /** Sleeps most of the way and spins the rest, so both processes start within microseconds. */
    private static void waitUntil(long epochMillis) {
        long remaining = epochMillis - System.currentTimeMillis();
        if (remaining > 5) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(remaining - 5));
        }
        while (System.currentTimeMillis() < epochMillis) {
            Thread.onSpinWait();
        }
    }
}
