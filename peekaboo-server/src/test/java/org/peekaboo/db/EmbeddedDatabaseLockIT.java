package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.db.testing.HoldEmbeddedDatabase;

/** An embedded H2 database belongs to one process; a second one is told so plainly. */
class EmbeddedDatabaseLockIT {
    @TempDir
    Path tempDir;

    @Test
    @Timeout(120)
    void aSecondProcessIsToldTheDatabaseIsInUse() throws Exception {
        Path dataDir = tempDir.resolve("data");
        Path holderOutput = tempDir.resolve("holder.log");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldEmbeddedDatabase.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(holderOutput.toFile())
                .start();
        try {
            awaitReady(holder, holderOutput, Duration.ofSeconds(60));

            assertThatThrownBy(() -> Database.open(DatabaseSettings.embedded(dataDir)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("Database " + DatabaseSettings.embeddedUrl(dataDir)
                            + " is in use by another process");
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }

        assertThat(holder.exitValue()).isZero();
        try (Database database = Database.open(DatabaseSettings.embedded(dataDir))) {
            assertThat(database.maskedUrl()).isEqualTo(DatabaseSettings.embeddedUrl(dataDir));
        }
    }

    private static void awaitReady(Process holder, Path output, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.readAllLines(output).contains(HoldEmbeddedDatabase.READY)) {
                return;
            }
            if (!holder.isAlive()) {
                fail("the holding process ended with " + holder.exitValue() + ":\n" + Files.readString(output));
            }
            Thread.sleep(100);
        }
        fail("the holding process did not open the database within " + timeout + ":\n" + Files.readString(output));
    }
}
