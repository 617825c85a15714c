package org.peekaboo.db;

import static org.peekaboo.db.testing.MariaDbServer.SERVER;
import static org.peekaboo.db.testing.MariaDbServer.USER;
import static org.peekaboo.db.testing.MariaDbServer.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.analysis.SampleLocks.Lease;
import org.peekaboo.db.testing.RaceForSampleLocks;
import org.peekaboo.db.testing.MariaDbServer;

/**
 * The lock contract on the MariaDB server at 127.0.0.1:3306 (user root, no password), in a
 * database of its own that is dropped afterwards; and the race between separate processes,
 * which only a database server can host.
 */
class MariaDbSampleLocksIT extends JooqSampleLocksContract {
    private static final int PROCESS_ROUNDS = 40;

    private static String databaseName;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void createDatabase() throws SQLException {
        databaseName = MariaDbServer.createDatabase();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        MariaDbServer.dropDatabase(databaseName);
    }

    @Override
    protected Database openDatabase() {
        return Database.open(new DatabaseSettings(SERVER + databaseName, USER, "", 20));
    }

    /**
     * Two JVMs race for {@value #PROCESS_ROUNDS} identities, started at the same instant each
     * time: half of them free, half held by a crashed instance whose lease has expired.
     */
    @Test
    @Timeout(300)
    void twoProcessesRacingForOneIdentityGiveItExactlyOneOwner() throws Exception {
        SampleLocks crashed = newInstance();
        List<Racer> racers = List.of(startRacer("racer-a-" + uniqueName()), startRacer("racer-b-" + uniqueName()));
        Map<String, Integer> wins = new HashMap<>();
        try {
            for (Racer racer : racers) {
                racer.awaitLine(RaceForSampleLocks.READY);
            }
            for (int round = 0; round < PROCESS_ROUNDS; round++) {
                String identity = identity();
                boolean takeover = round % 2 == 1;
                if (takeover) {
                    crashed.tryAcquire(identity, Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(1));
                }
                long start = System.currentTimeMillis() + 200;
                for (Racer racer : racers) {
                    racer.send(identity + " " + start);
                }
                List<Racer> winners = new ArrayList<>();
                for (Racer racer : racers) {
                    String answer = racer.awaitLine(RaceForSampleLocks.PREFIX + identity + " ");
                    if (answer.endsWith(" true")) {
                        winners.add(racer);
                    }
                }

                assertThat(winners).as("winners of round %d (%s)", round, takeover ? "takeover" : "free")
                        .hasSize(1);
                wins.merge(winners.getFirst().owner(), 1, Integer::sum);
                Map<String, Lease> leases = crashed.leases(List.of(identity));
                assertThat(leases.get(identity).owner()).isEqualTo(winners.getFirst().owner());
            }
        } finally {
            for (Racer racer : racers) {
                racer.stop();
            }
        }
        // Had one process always been first, the rounds would have tested nothing but a lock held.
        assertThat(wins).as("rounds won by each process").hasSize(2);
        for (Racer racer : racers) {
            assertThat(racer.process().exitValue()).as("exit status of %s", racer.owner()).isZero();
        }
    }

    private Racer startRacer(String owner) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = tempDir.resolve(owner + ".err");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RaceForSampleLocks.class.getName(), SERVER + databaseName, USER, owner)
                .redirectError(log.toFile())
                .start();
        return new Racer(owner, process, log,
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    private record Racer(String owner, Process process, Path errors, BufferedReader out, Writer in) {

        void send(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        /** The next protocol line starting with {@code expected}; log lines are skipped. */
        String awaitLine(String expected) throws IOException {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(expected)) {
                    return line;
                }
                if (line.startsWith(RaceForSampleLocks.PREFIX)) {
                    fail(owner + " answered '" + line + "' instead of '" + expected + "…'");
                }
            }
            fail(owner + " ended before '" + expected + "…'; its errors:\n" + Files.readString(errors));
            return null;
        }

        void stop() throws IOException, InterruptedException {
            in.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }


}
