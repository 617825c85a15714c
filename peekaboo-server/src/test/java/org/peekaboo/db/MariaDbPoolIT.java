package org.peekaboo.db;

import static org.peekaboo.db.testing.MariaDbServer.SERVER;
import static org.peekaboo.db.testing.MariaDbServer.USER;
import static org.peekaboo.db.testing.MariaDbServer.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.db.testing.TcpProxy;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The pool and the retries against the MariaDB server at 127.0.0.1:3306 (user root, no
 * password), in a database of its own that is dropped afterwards.
 */
class MariaDbPoolIT {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration MAX_AGE = Duration.ofDays(30);

    private static String databaseName;

    @BeforeAll
    static void createDatabase() throws SQLException {
        databaseName = MariaDbServer.createDatabase();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        MariaDbServer.dropDatabase(databaseName);
    }

    @Test
    void connectionsTheServerDroppedAreReplacedWithoutRestartingPeekaboo() throws Exception {
        try (Database database = Database.open(new DatabaseSettings(SERVER + databaseName, USER, "", 3));
             AnalysisStore store = database.analysisStore("pool-it", CLOCK, MAX_AGE)) {
            long jobId = store.begin(sample(), NOW);

            // What a server restart does to the pool: every connection it holds is gone.
            int killed = killConnectionsTo(databaseName);
            // The pool skips the check for connections used within the last half second.
            Thread.sleep(1_000);

            assertThat(killed).isPositive();
            store.finish(jobId, new SampleVerdict(Result.GOOD, "test", "fine", List.of(), SampleVerdict.NO_JOB), NOW);
            assertThat(store.find(jobId)).get().extracting(AnalysisStore.StoredAnalysis::result)
                    .isEqualTo(Result.GOOD);
            assertThat(database.outage().isDown()).isFalse();
        }
    }

    @Test
    void aRequestThatGetsNoConnectionFailsWithinTheConnectTimeout() {
        try (Database database = Database.open(new DatabaseSettings(SERVER + databaseName, USER, "", 1,
                Duration.ofMillis(500)));
             AnalysisStore store = database.analysisStore("pool-it", CLOCK, MAX_AGE)) {
            long jobId = store.begin(sample(), NOW);

            // The only connection is taken, so the store waits for one as if the server were down.
            database.dsl().connection(held -> {
                long started = System.nanoTime();
                assertThatThrownBy(() -> store.find(jobId))
                        .isInstanceOf(StoreException.class)
                        .hasMessageStartingWith("Cannot read job " + jobId + ": ")
                        .hasMessageContaining("request timed out after");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
                assertThat(database.outage().isDown()).isTrue();
            });

            assertThat(store.find(jobId)).isPresent();
            assertThat(database.outage().isDown()).isFalse();
        }
    }

    @Test
    void anOutageFailsRequestsFastAndTheEndOfItIsNoticedByItself() {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 3306);
             Database database = Database.open(new DatabaseSettings(
                     "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + databaseName, USER, "", 2,
                     Duration.ofSeconds(1)));
             AnalysisStore store = database.analysisStore("pool-it", CLOCK, MAX_AGE)) {
            long jobId = store.begin(sample(), NOW);

            proxy.cut();
            for (int request = 0; request < 2; request++) {
                long started = System.nanoTime();
                assertThatThrownBy(() -> store.find(jobId)).isInstanceOf(StoreException.class)
                        .hasMessageStartingWith("Cannot read job " + jobId + ": ");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
                assertThat(database.outage().isDown()).isTrue();
            }
            proxy.resume();

            // Nothing asks the store in between: the outage's own probe finds the server back.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (database.outage().isDown()) {
                assertThat(System.nanoTime()).as("waiting for the probe to find the server back").isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertThat(store.find(jobId)).isPresent();
        }
    }

    @Test
    void aLockWaitTimeoutIsRetriedUntilTheOtherTransactionLetsGo() throws Exception {
        // A short lock wait, so that the store's first attempt gives up while the lock is held.
        String url = SERVER + databaseName + "?sessionVariables=innodb_lock_wait_timeout=1";
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        Retry.Sleeper recordingSleeper = pause -> {
            pauses.add(pause);
            Thread.sleep(pause);
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Database database = Database.open(new DatabaseSettings(url, USER, "", 2));
             AnalysisStore store = new JooqAnalysisStore(database.dsl(), "pool-it",
                     new Retry(6, Duration.ofMillis(50), recordingSleeper, RandomGenerator.getDefault(),
                             database.outage()), () -> { }, CLOCK, MAX_AGE);
             Connection other = DriverManager.getConnection(SERVER + databaseName, USER, "")) {
            long jobId = store.begin(sample(), NOW);
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement(
                    "SELECT job_id FROM analysis WHERE job_id = ? FOR UPDATE")) {
                lock.setLong(1, jobId);
                lock.executeQuery().close();
            }
            ScheduledFuture<?> release = scheduler.schedule(() -> {
                other.commit();
                return null;
            }, 1_500, TimeUnit.MILLISECONDS);

            store.finish(jobId, new SampleVerdict(Result.BAD, "test", "caught", List.of(), SampleVerdict.NO_JOB), NOW);

            release.get();
            assertThat(pauses).isNotEmpty();
            assertThat(store.find(jobId)).get().extracting(AnalysisStore.StoredAnalysis::result)
                    .isEqualTo(Result.BAD);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static Sample sample() {
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        String sha256 = HexFormat.of().formatHex(random);
        return new Sample(TestContents.empty(), sha256, 1, "sample.txt", "text/plain", null, sha256);
    }

    private static int killConnectionsTo(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER, USER, "")) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()")) {
                find.setString(1, database);
                try (ResultSet rows = find.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            try (Statement kill = connection.createStatement()) {
                for (long id : ids) {
                    kill.execute("KILL CONNECTION " + id);
                }
            }
            return ids.size();
        }
    }


}
