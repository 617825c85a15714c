package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.db.schema.Tables.ANALYSIS;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;
import org.peekaboo.db.Purger;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

class DaemonPurgeScheduleTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dataDir;

    @Test
    void scheduledRoundsDeleteOldAnalysesAndStopWithTheScheduler() throws InterruptedException {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (Database database = Database.open(DatabaseSettings.embedded(dataDir))) {
            AnalysisStore store = database.analysisStore("schedule-test", clock, Duration.ofDays(30));
            Sample sample = new Sample(TestContents.empty(), SHA256, 0, "empty.txt", null, null,
                    SampleIdentity.of(SHA256, "empty.txt", null, null));
            Instant old = NOW.minus(Duration.ofDays(100));
            for (int i = 0; i < 3; i++) {
                long jobId = store.begin(sample, old);
                store.finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("r", Result.GOOD, "ok")), jobId), old);
            }
            SampleLocks locks = database.sampleLocks("schedule-test");
            Purger purger = database.purger(locks, clock, Duration.ofDays(90), 10, Duration.ofHours(1));

            ScheduledExecutorService scheduler = Daemon.schedulePurge(purger, Duration.ofMillis(50));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (database.dsl().fetchCount(ANALYSIS) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(database.dsl().fetchCount(ANALYSIS)).isZero();
            } finally {
                scheduler.shutdownNow();
            }
            assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
