package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.daemon.ClusterProcess.CLIENT_TIMEOUT;
import static org.peekaboo.daemon.ClusterTesting.awaitCondition;
import static org.peekaboo.daemon.ClusterTesting.count;
import static org.peekaboo.daemon.ClusterTesting.execute;
import static org.peekaboo.daemon.ClusterTesting.sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;
import org.peekaboo.db.testing.GaleraCluster;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.db.testing.PrivateMariaDb;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.verdict.Verdict;

/**
 * Three {@code peekaboo serve} processes ({@link ClusterInstance}) on a 3-node MariaDB Galera
 * cluster of the test's own ({@link GaleraCluster}), each through a failover URL that names
 * all nodes with its own node first, as the README recommends for production. The ruleset
 * counts its expensive step in a table on the shared MariaDB at 127.0.0.1:3306 (outside the
 * cluster, so that a killed node loses no count). The nodes run with
 * {@code wsrep_retry_autocommit=0}: every certification conflict reaches Peekaboo, whose
 * retries are what is tested. The tests run in order: the last kills the first node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class GaleraClusterIT {
    private static final int NODES = 3;
    private static final int LEASE_SECONDS = 5;
    private static final int DEADLINE_SECONDS = 20;
    private static final int SHUTDOWN_GRACE_SECONDS = 10;
    /** Lines the daemons must never log: errors, and a conflict that the retries did not absorb. */
    private static final Pattern UNHANDLED = Pattern.compile(
            "(?m)^(\\S+ ERROR |.*(deadlock|conflict|serializ|lock wait timeout)).*$", Pattern.CASE_INSENSITIVE);
    /** Conflicts a node saw: its own transactions that failed certification or were aborted by a replicated one. */
    private static final List<String> CONFLICT_COUNTERS = List.of("wsrep_local_cert_failures",
            "wsrep_local_bf_aborts");

    @TempDir
    static Path dir;

    private Path clusterDir;
    private GaleraCluster cluster;
    private String databaseName;
    private String countDatabase;
    private String countUrl;
    private Path files;
    private final List<ClusterProcess> instances = new ArrayList<>();

    @BeforeAll
    void startClusterAndInstances() throws Exception {
        // Under target/, searchable by the mysql user the nodes run as when the test runs as root.
        clusterDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "galera-");
        Files.setPosixFilePermissions(clusterDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        long started = System.nanoTime();
        cluster = GaleraCluster.start(clusterDir, NODES);
        System.out.printf("GaleraClusterIT: %d nodes Synced after %d ms%n", NODES,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        databaseName = MariaDbServer.uniqueName();
        execute(cluster.serverUrl(0), "CREATE DATABASE " + databaseName
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        countDatabase = MariaDbServer.createDatabase();
        countUrl = MariaDbServer.SERVER + countDatabase + "?user=root";
        execute(countUrl, "CREATE TABLE rule_execution (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " sha256 CHAR(64) NOT NULL, instance VARCHAR(100) NOT NULL)");
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        // The first one migrates the schema alone; the others find it done.
        instances.add(start("a", 0));
        instances.getFirst().awaitReady();
        instances.add(start("b", 1));
        instances.add(start("c", 2));
        for (ClusterProcess instance : instances) {
            instance.awaitReady();
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            for (ClusterProcess instance : instances) {
                instance.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (countDatabase != null) {
                MariaDbServer.dropDatabase(countDatabase);
            }
            if (clusterDir != null) {
                deleteTree(clusterDir);
            }
        }
    }

    @Test
    @Order(1)
    void threeHundredConcurrentRequestsForOneSampleAreAnalysedOnce() throws Exception {
        Path attachment = Files.writeString(files.resolve("invoice.txt"), "Invoice 4711, due in 30 days.\n");
        long conflictsBefore = conflicts();

        List<Answer> answers = scanAll(Stream.generate(() -> attachment).limit(300).toList(), 300);

        long conflicts = conflicts() - conflictsBefore;
        assertThat(executions(sha256(attachment))).as("analyses of the sample").isEqualTo(1);
        List<Verdict> decided = answers.stream().map(Answer::verdict).filter(v -> v != Verdict.UNCHECKED).toList();
        assertThat(decided).as("decided answers").isNotEmpty();
        assertThat(decided).as("every decided answer").containsOnly(decided.getFirst());
        List<Answer> unchecked = answers.stream().filter(answer -> answer.verdict() == Verdict.UNCHECKED).toList();
        for (Answer answer : unchecked) {
            // Waiting for another instance's analysis may outlast the deadline; nothing else may fail.
            assertThat(answer.rule()).as("why %s was unchecked", answer).isEqualTo("deadline");
            Answer retry = scan(answer.instance(), attachment);
            assertThat(retry.verdict()).as("retry of %s", answer).isEqualTo(decided.getFirst());
            assertThat(retry.rule()).isEqualTo("known");
        }
        assertThat(executions(sha256(attachment))).as("analyses after the retries").isEqualTo(1);
        assertNoUnhandledFailuresLogged();
        System.out.printf("GaleraClusterIT one sample: 300 requests, 1 analysis, %d unchecked at the deadline"
                + " (decided on retry), %d certification conflicts retried%n", unchecked.size(), conflicts);
    }

    /**
     * The daemons rarely write the same row on two nodes at the same instant; here threads on
     * every node race for each lock at once, and again while its owner renews and releases it,
     * so that certification conflicts surely happen.
     */
    @Test
    @Order(2)
    void aLockRacedForOnEveryNodeHasOneOwnerAndEveryConflictIsRetried() throws Exception {
        int rounds = 200;
        int racersPerNode = 2;
        List<Database> databases = new ArrayList<>();
        try {
            List<SampleLocks> racers = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                Database database = Database.open(new DatabaseSettings(cluster.failoverUrl(databaseName, node),
                        PrivateMariaDb.USER, "", racersPerNode));
                databases.add(database);
                for (int i = 0; i < racersPerNode; i++) {
                    racers.add(database.sampleLocks("racer-" + node + "-" + i));
                }
            }
            long conflictsBefore = conflicts();

            try (ExecutorService threads = Executors.newFixedThreadPool(racers.size())) {
                for (int round = 0; round < rounds; round++) {
                    String identity = sha256(("race " + round).getBytes(StandardCharsets.UTF_8));
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Boolean>> attempts = new ArrayList<>();
                    for (SampleLocks racer : racers) {
                        attempts.add(threads.submit(() -> {
                            start.await();
                            return racer.tryAcquire(identity, Instant.now(), Duration.ofMinutes(1));
                        }));
                    }
                    start.countDown();
                    List<SampleLocks> owners = winners(racers, attempts);
                    assertThat(owners).as("owners of lock %d", round).hasSize(1);

                    // The owner renews and releases while the others try again, as waiters taking over do.
                    SampleLocks owner = owners.getFirst();
                    CountDownLatch again = new CountDownLatch(1);
                    Future<Boolean> renewedAndReleased = threads.submit(() -> {
                        again.await();
                        return owner.renew(identity, Instant.now(), Duration.ofMinutes(1))
                                && owner.renew(identity, Instant.now(), Duration.ofMinutes(1))
                                && owner.release(identity);
                    });
                    List<SampleLocks> others = racers.stream().filter(racer -> racer != owner).toList();
                    List<Future<Boolean>> retries = new ArrayList<>();
                    for (SampleLocks racer : others) {
                        retries.add(threads.submit(() -> {
                            again.await();
                            return racer.tryAcquire(identity, Instant.now(), Duration.ofMinutes(1));
                        }));
                    }
                    again.countDown();
                    assertThat(renewedAndReleased.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                            .as("the owner of lock %d renewed and released it", round).isTrue();
                    List<SampleLocks> takers = winners(others, retries);
                    assertThat(takers).as("owners of lock %d after its release", round).hasSizeLessThanOrEqualTo(1);
                    for (SampleLocks taker : takers) {
                        assertThat(taker.release(identity)).isTrue();
                    }
                }
            }

            long conflicts = conflicts() - conflictsBefore;
            assertThat(conflicts).as("certification conflicts during the race").isPositive();
            System.out.printf("GaleraClusterIT lock race: %d rounds of %d racers on %d nodes, one owner each,"
                    + " %d certification conflicts retried%n", rounds, racers.size(), NODES, conflicts);
        } finally {
            databases.forEach(Database::close);
        }
    }

    @Test
    @Order(3)
    void threeThousandDistinctSamplesAreEachAnalysedOnceWithEveryConflictRetried() throws Exception {
        int samples = 3000;
        List<Path> attachments = writeSamples("bulk", samples);
        long conflictsBefore = conflicts();
        long started = System.nanoTime();

        List<Answer> answers = scanAll(attachments, 50);

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long conflicts = conflicts() - conflictsBefore;
        assertThat(answers).as("undecided answers").filteredOn(answer -> answer.verdict() == Verdict.UNCHECKED)
                .isEmpty();
        String bulk = ClusterInstance.QUICK + "bulk-%";
        assertThat(count(countUrl, "SELECT COUNT(*) FROM rule_execution WHERE sha256 IN ("
                + sha256List(attachments) + ")")).as("executions").isEqualTo(samples);
        for (int node = 0; node < NODES; node++) {
            // Every node holds every analysis, finished: replication lost nothing.
            assertThat(finishedAnalyses(node, bulk)).as("finished analyses on node %d", node).isEqualTo(samples);
        }
        assertNoUnhandledFailuresLogged();
        System.out.printf("GaleraClusterIT distinct samples: %d requests in %d ms, %d analyses, %d certification"
                + " conflicts retried%n", samples, millis, samples, conflicts);
    }

    @Test
    @Order(4)
    void whenANodeIsKilledUnderLoadItsInstanceFailsOverAndTheNodeRejoins() throws Exception {
        int samples = 900;
        List<Path> attachments = writeSamples("failover", samples);
        ClusterProcess onKilledNode = instances.getFirst();
        AtomicInteger answered = new AtomicInteger();

        List<Answer> answers;
        try (ExecutorService clients = Executors.newFixedThreadPool(30)) {
            List<Future<Answer>> pending = submit(clients, attachments, answered);
            awaitCondition(() -> answered.get() >= samples / 3, "a third of the requests answered");
            cluster.kill(0);
            answers = collect(pending);
        }

        Set<String> analysed = executedSamples();
        List<Answer> unchecked = new ArrayList<>();
        for (Answer answer : answers) {
            if (answer.verdict() == Verdict.UNCHECKED) {
                unchecked.add(answer);
            } else {
                assertThat(analysed).as("a decided answer without an analysis: %s", answer)
                        .contains(answer.sha256());
            }
        }
        // Node 0 is still down: a decided answer from its instance shows that it failed over.
        for (Answer answer : unchecked) {
            Answer retry = scan(answer.instance(), answer.file());
            assertThat(retry.verdict()).as("retry of %s", answer).isNotEqualTo(Verdict.UNCHECKED);
            assertThat(executedSamples()).contains(retry.sha256());
        }
        Answer afterKill = scan(onKilledNode, writeSamples("after-kill", 1).getFirst());
        assertThat(afterKill.verdict()).as("a new sample on %s", onKilledNode.name()).isNotEqualTo(Verdict.UNCHECKED);
        String failover = ClusterInstance.QUICK + "failover-%";
        assertThat(finishedSamples(1, failover)).as("samples with a finished analysis on node 1").isEqualTo(samples);

        long rejoinStarted = System.nanoTime();
        cluster.rejoin(0);
        long rejoinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rejoinStarted);

        assertThat(cluster.status(0, "wsrep_cluster_size")).isEqualTo(String.valueOf(NODES));
        String transfer = cluster.receivedIst(0) ? "IST" : "SST";
        assertThat(finishedSamples(0, failover)).as("samples with a finished analysis on the rejoined node")
                .isEqualTo(samples);
        Answer afterRejoin = scan(onKilledNode, writeSamples("after-rejoin", 1).getFirst());
        assertThat(afterRejoin.verdict()).as("a new sample on %s after the rejoin", onKilledNode.name())
                .isNotEqualTo(Verdict.UNCHECKED);
        System.out.printf("GaleraClusterIT node killed: %d requests, %d unchecked (%s), all decided on retry;"
                + " node rejoined by %s and Synced in %d ms%n", samples, unchecked.size(),
                unchecked.stream().map(Answer::rule).distinct().sorted().toList(), transfer, rejoinMillis);
    }

    /** The racers whose attempt succeeded; a conflict that surfaced fails here with the store's exception. */
    private static List<SampleLocks> winners(List<SampleLocks> racers, List<Future<Boolean>> attempts)
            throws Exception {
        List<SampleLocks> winners = new ArrayList<>();
        for (int i = 0; i < racers.size(); i++) {
            if (attempts.get(i).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                winners.add(racers.get(i));
            }
        }
        return winners;
    }

    private List<Path> writeSamples(String kind, int count) throws IOException {
        List<Path> attachments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            attachments.add(Files.writeString(files.resolve(ClusterInstance.QUICK + kind + "-" + i + ".txt"),
                    kind + " attachment number " + i + "\n"));
        }
        return attachments;
    }

    /** One file per request, spread over the instances in turn, {@code parallel} at a time. */
    private List<Answer> scanAll(List<Path> attachments, int parallel) throws Exception {
        try (ExecutorService clients = Executors.newFixedThreadPool(parallel)) {
            return collect(submit(clients, attachments, new AtomicInteger()));
        }
    }

    private List<Future<Answer>> submit(ExecutorService clients, List<Path> attachments, AtomicInteger answered) {
        List<Future<Answer>> pending = new ArrayList<>(attachments.size());
        for (int i = 0; i < attachments.size(); i++) {
            ClusterProcess instance = instances.get(i % instances.size());
            Path attachment = attachments.get(i);
            pending.add(clients.submit(() -> {
                Answer answer = scan(instance, attachment);
                answered.incrementAndGet();
                return answer;
            }));
        }
        return pending;
    }

    /** Every request must be answered: a failure to answer fails the test. */
    private static List<Answer> collect(List<Future<Answer>> pending) throws Exception {
        List<Answer> answers = new ArrayList<>(pending.size());
        for (Future<Answer> answer : pending) {
            answers.add(answer.get(2 * CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        return answers;
    }

    private static Answer scan(ClusterProcess instance, Path file) throws Exception {
        ScanReply.FileVerdict verdict = instance.scan(file);
        return new Answer(instance, file, sha256(file), verdict.verdict(), verdict.rule());
    }

    private record Answer(ClusterProcess instance, Path file, String sha256, Verdict verdict, String rule) {
        @Override
        public String toString() {
            return instance.name() + ": " + file.getFileName() + " " + verdict + " by " + rule;
        }
    }

    private void assertNoUnhandledFailuresLogged() {
        for (ClusterProcess instance : instances) {
            assertThat(UNHANDLED.matcher(instance.log()).results().map(MatchResult::group).toList())
                    .as("unhandled failures in the log of %s", instance.name()).isEmpty();
        }
    }

    private long conflicts() throws SQLException {
        long sum = 0;
        for (String counter : CONFLICT_COUNTERS) {
            sum += cluster.statusSum(counter);
        }
        return sum;
    }

    private long executions(String sha256) throws SQLException {
        return count(countUrl, "SELECT COUNT(*) FROM rule_execution WHERE sha256 = '" + sha256 + "'");
    }

    private Set<String> executedSamples() throws SQLException {
        Set<String> samples = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(countUrl);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT sha256 FROM rule_execution")) {
            while (rows.next()) {
                samples.add(rows.getString(1));
            }
        }
        return samples;
    }

    private long finishedAnalyses(int node, String namePattern) throws SQLException {
        return count(storeUrl(node), "SELECT COUNT(*) FROM analysis WHERE name_declared LIKE '" + namePattern
                + "' AND state = 'FINISHED'");
    }

    /** Distinct samples: an analysis cut off by the kill may have been made again on retry. */
    private long finishedSamples(int node, String namePattern) throws SQLException {
        return count(storeUrl(node), "SELECT COUNT(DISTINCT sha256) FROM analysis WHERE name_declared LIKE '"
                + namePattern + "' AND state = 'FINISHED'");
    }

    private String storeUrl(int node) {
        return cluster.serverUrl(node) + databaseName + "?user=" + PrivateMariaDb.USER;
    }

    private static String sha256List(List<Path> attachments) throws Exception {
        List<String> quoted = new ArrayList<>(attachments.size());
        for (Path attachment : attachments) {
            quoted.add("'" + sha256(attachment) + "'");
        }
        return String.join(",", quoted);
    }

    private ClusterProcess start(String name, int node) throws IOException {
        String storeUrl = cluster.failoverUrl(databaseName, node) + "?user=" + PrivateMariaDb.USER;
        return ClusterProcess.start(dir, name, files, storeUrl, countUrl, LEASE_SECONDS, DEADLINE_SECONDS,
                SHUTDOWN_GRACE_SECONDS);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
