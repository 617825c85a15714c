package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.daemon.ClusterProcess.CLIENT_TIMEOUT;
import static org.peekaboo.daemon.ClusterTesting.awaitCondition;
import static org.peekaboo.daemon.ClusterTesting.count;
import static org.peekaboo.daemon.ClusterTesting.execute;
import static org.peekaboo.daemon.ClusterTesting.sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.db.testing.MariaDbServer;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.verdict.Verdict;

/**
 * Three {@code peekaboo serve} processes ({@link ClusterInstance}) on one MariaDB database at
 * 127.0.0.1:3306 (user root, no password), created and dropped by the test, and a fourth one
 * that is shut down gracefully. Their ruleset counts its expensive step in a table of another
 * database, so the test sees how often a sample was really analysed, including by a process
 * that was killed. The tests run in order: the third kills the first instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ClusterIT {
    private static final String SERVER = MariaDbServer.SERVER;
    private static final int LEASE_SECONDS = 5;
    private static final int DEADLINE_SECONDS = 20;
    private static final int SHUTDOWN_GRACE_SECONDS = 10;
    /** Far beyond the test's run time: only the owner's release lets another instance in. */
    private static final int LONG_LEASE_SECONDS = 600;
    private static final int SHORT_SHUTDOWN_GRACE_SECONDS = 1;
    /** Lines the daemons must never log: errors, and a deadlock that the retries did not absorb. */
    private static final Pattern UNHANDLED = Pattern.compile(
            "(?m)^\\S+ ERROR |deadlock|serializ|lock wait timeout", Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path dir;

    private String databaseName;
    private String countUrl;
    private Path files;
    private final List<ClusterProcess> instances = new ArrayList<>();
    /** Started by single tests; stopped with the cluster should a test fail before it stops them. */
    private final List<ClusterProcess> extraInstances = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        databaseName = MariaDbServer.createDatabase();
        MariaDbServer.execute("CREATE DATABASE " + databaseName + "_counts");
        countUrl = SERVER + databaseName + "_counts?user=root";
        execute(countUrl, "CREATE TABLE rule_execution (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " sha256 CHAR(64) NOT NULL, instance VARCHAR(100) NOT NULL)");
        files = Files.createDirectories(dir.resolve("amavis-tmp"));
        // The first one migrates the schema alone; the others find it done.
        instances.add(start("a", LEASE_SECONDS, SHUTDOWN_GRACE_SECONDS));
        instances.getFirst().awaitReady();
        instances.add(start("b", LEASE_SECONDS, SHUTDOWN_GRACE_SECONDS));
        instances.add(start("c", LEASE_SECONDS, SHUTDOWN_GRACE_SECONDS));
        for (ClusterProcess instance : instances) {
            instance.awaitReady();
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        try {
            for (ClusterProcess instance : instances) {
                instance.stop();
            }
            for (ClusterProcess instance : extraInstances) {
                instance.stop();
            }
        } finally {
            if (databaseName != null) {
                MariaDbServer.dropDatabase(databaseName);
                MariaDbServer.dropDatabase(databaseName + "_counts");
            }
        }
    }

    @Test
    @Order(1)
    void threeHundredConcurrentRequestsForOneSampleAreAnalysedOnce() throws Exception {
        Path attachment = Files.writeString(files.resolve("invoice.txt"), "Invoice 4711, due in 30 days.\n");
        int requests = 300;

        List<Answer> answers;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> pending = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                ClusterProcess instance = instances.get(i % instances.size());
                pending.add(clients.submit(() -> scan(instance, attachment)));
            }
            answers = new ArrayList<>();
            for (Future<Answer> answer : pending) {
                answers.add(answer.get(2 * CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }

        assertThat(executions(sha256(attachment))).as("analyses of the sample").hasSize(1);
        List<Verdict> decided = answers.stream().map(Answer::verdict).filter(v -> v != Verdict.UNCHECKED).toList();
        assertThat(decided).as("decided answers").isNotEmpty();
        Verdict verdict = decided.getFirst();
        assertThat(decided).as("every decided answer").containsOnly(verdict);
        for (Answer answer : answers) {
            if (answer.verdict() == Verdict.UNCHECKED) {
                assertThat(answer.rule()).as("why %s was unchecked", answer).isEqualTo("deadline");
                Answer retry = scan(answer.instance(), attachment);
                assertThat(retry.verdict()).as("retry of %s", answer).isEqualTo(verdict);
                assertThat(retry.rule()).isEqualTo("known");
            }
        }
        assertThat(executions(sha256(attachment))).as("analyses after the retries").hasSize(1);
    }

    @Test
    @Order(2)
    void threeThousandDistinctSamplesAreEachAnalysedOnceWithoutUnhandledDeadlocks() throws Exception {
        int samples = 3000;
        long lastExecutionBefore = count(countUrl, "SELECT COALESCE(MAX(id), 0) FROM rule_execution");
        List<Path> attachments = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            attachments.add(Files.writeString(files.resolve(ClusterInstance.QUICK + i + ".txt"),
                    "Bulk attachment number " + i + "\n"));
        }

        // One file per request: a request of many files would wait for all of them, and on a
        // loaded machine its deadline could run out in the workers' queue.
        List<Answer> answers = new ArrayList<>(samples);
        try (ExecutorService clients = Executors.newFixedThreadPool(50)) {
            List<Future<Answer>> pending = new ArrayList<>(samples);
            for (int i = 0; i < samples; i++) {
                ClusterProcess instance = instances.get(i % instances.size());
                Path attachment = attachments.get(i);
                pending.add(clients.submit(() -> scan(instance, attachment)));
            }
            for (Future<Answer> answer : pending) {
                answers.add(answer.get(2 * CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }

        assertThat(answers).as("undecided answers").filteredOn(answer -> answer.verdict() == Verdict.UNCHECKED)
                .isEmpty();
        String newExecutions = " FROM rule_execution WHERE id > " + lastExecutionBefore;
        assertThat(count(countUrl, "SELECT COUNT(*)" + newExecutions)).as("executions").isEqualTo(samples);
        assertThat(count(countUrl, "SELECT COUNT(DISTINCT sha256)" + newExecutions)).as("distinct samples executed")
                .isEqualTo(samples);
        String bulkAnalyses = " FROM analysis WHERE name_declared LIKE '" + ClusterInstance.QUICK + "%'";
        assertThat(count(storeUrl(), "SELECT COUNT(*)" + bulkAnalyses)).as("analyses").isEqualTo(samples);
        assertThat(count(storeUrl(), "SELECT COUNT(*)" + bulkAnalyses + " AND state = 'FINISHED'"))
                .as("finished analyses").isEqualTo(samples);
        for (ClusterProcess instance : instances) {
            assertThat(UNHANDLED.matcher(instance.log()).results().map(MatchResult::group).toList())
                    .as("unhandled failures in the log of %s", instance.name()).isEmpty();
        }
    }

    @Test
    @Order(3)
    void anInstanceKilledMidAnalysisIsTakenOverAfterItsLease() throws Exception {
        Path attachment = Files.writeString(files.resolve("report.txt"), "Quarterly report, draft 3.\n");
        String sha256 = sha256(attachment);
        ClusterProcess owner = instances.getFirst();
        List<ClusterProcess> survivors = instances.subList(1, instances.size());

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Answer> ownersRequest = clients.submit(() -> scan(owner, attachment));
            awaitCondition(() -> executions(sha256).size() == 1, "the owner starts analysing");
            List<Future<Answer>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ClusterProcess instance = survivors.get(i % survivors.size());
                waiting.add(clients.submit(() -> scan(instance, attachment)));
            }
            Thread.sleep(500);
            assertThat(waiting).as("requests answered while the owner analyses").noneMatch(Future::isDone);

            owner.kill();

            assertThat(ownersRequest).failsWithin(CLIENT_TIMEOUT);
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> answer : waiting) {
                answers.add(answer.get(2 * CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
            List<String> analysers = executions(sha256);
            assertThat(analysers).as("analyses: the killed one and the takeover").hasSize(2);
            assertThat(analysers.get(0)).startsWith(owner.name());
            assertThat(analysers.get(1)).doesNotStartWith(owner.name());
            // Nothing was answered from the dead owner's work: a decided answer needs the takeover.
            List<Verdict> decided = answers.stream().map(Answer::verdict)
                    .filter(v -> v != Verdict.UNCHECKED).toList();
            assertThat(decided).as("decided answers after the takeover").isNotEmpty();
            assertThat(decided).containsOnly(decided.getFirst());
            for (ClusterProcess survivor : survivors) {
                Answer retry = scan(survivor, attachment);
                assertThat(retry.verdict()).as("retry on %s", survivor.name()).isEqualTo(decided.getFirst());
                assertThat(retry.rule()).isEqualTo("known");
            }
        }
    }

    @Test
    @Order(4)
    void aGracefulShutdownReleasesTheLockSoAnotherInstanceTakesOverAtOnce() throws Exception {
        ClusterProcess owner = start("g", LONG_LEASE_SECONDS, SHORT_SHUTDOWN_GRACE_SECONDS);
        extraInstances.add(owner);
        owner.awaitReady();
        // b survived the kill of a; its own lease does not matter, only the owner's does.
        ClusterProcess other = instances.get(1);
        Path attachment = Files.writeString(files.resolve(ClusterInstance.SLOW_ON + owner.name() + "-contract.txt"),
                "Contract 2026-17, countersigned.\n");
        String sha256 = sha256(attachment);

        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Answer> ownersRequest = clients.submit(() -> scan(owner, attachment));
            awaitCondition(() -> executions(sha256).size() == 1, "the owner starts analysing");

            owner.process().destroy();

            Answer ownersAnswer = ownersRequest.get(2 * CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ownersAnswer.verdict()).as("answer of the request open at shutdown: %s", ownersAnswer)
                    .isEqualTo(Verdict.UNCHECKED);
            awaitCondition(() -> !owner.process().isAlive(), "the owner exits");
            assertThat(owner.log()).contains("Peekaboo stopped");

            Answer takeover = scan(other, attachment);
            assertThat(takeover.verdict()).as("answer after the shutdown: %s", takeover)
                    .isNotEqualTo(Verdict.UNCHECKED);
            List<String> analysers = executions(sha256);
            assertThat(analysers).as("analyses: the interrupted one and the takeover").hasSize(2);
            assertThat(analysers.get(0)).startsWith(owner.name() + "-");
            assertThat(analysers.get(1)).startsWith(other.name() + "-");
        }
    }

    private static Answer scan(ClusterProcess instance, Path file) throws IOException {
        ScanReply.FileVerdict verdict = instance.scan(file);
        return new Answer(instance, verdict.verdict(), verdict.rule());
    }

    private record Answer(ClusterProcess instance, Verdict verdict, String rule) {
        @Override
        public String toString() {
            return instance.name() + ": " + verdict + " by " + rule;
        }
    }

    /** Who ran the counted step for {@code sha256}, in order. */
    private List<String> executions(String sha256) throws SQLException {
        try (Connection connection = DriverManager.getConnection(countUrl);
             PreparedStatement query = connection.prepareStatement(
                     "SELECT instance FROM rule_execution WHERE sha256 = ? ORDER BY id")) {
            query.setString(1, sha256);
            List<String> instances = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    instances.add(rows.getString(1));
                }
            }
            return instances;
        }
    }

    private String storeUrl() {
        return SERVER + databaseName + "?user=root";
    }

    private ClusterProcess start(String name, int leaseSeconds, int shutdownGraceSeconds) throws IOException {
        return ClusterProcess.start(dir, name, files, storeUrl(), countUrl, leaseSeconds, DEADLINE_SECONDS,
                shutdownGraceSeconds);
    }
}
