package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.db.schema.Tables.ANALYSIS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

class DatabaseTest {
    private static final String SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final Instant STARTED = Instant.parse("2025-01-02T03:04:05.678Z");
    private static final Clock SOON_AFTER = Clock.fixed(STARTED.plusSeconds(60), ZoneOffset.UTC);
    private static final Duration MAX_AGE = Duration.ofDays(30);

    @TempDir
    Path tempDir;

    @Test
    void analysesSurviveARestartAndMigrationsRunOnlyOnce() {
        Path dataDir = tempDir.resolve("data");
        Sample sample = new Sample(TestContents.empty(), SHA256, 0, "empty.txt", null, null,
                SampleIdentity.of(SHA256, "empty.txt", null, null));
        long jobId;
        List<Record> historyBefore;
        try (Database database = Database.open(DatabaseSettings.embedded(dataDir))) {
            AnalysisStore store = database.analysisStore("first", SOON_AFTER, MAX_AGE);
            historyBefore = schemaHistory(database);
            jobId = store.begin(sample, STARTED);
            store.finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("known", Result.BAD, "seen")), jobId),
                    STARTED.plusSeconds(1));
        }

        try (Database reopened = Database.open(DatabaseSettings.embedded(dataDir))) {
            AnalysisStore store = reopened.analysisStore("second", SOON_AFTER, MAX_AGE);
            assertThat(store.worstFinished(sample.identity(), 0))
                    .hasValueSatisfying(known -> assertThat(known.jobId()).isEqualTo(jobId));
            assertThat(store.begin(sample, STARTED)).isGreaterThan(jobId);
            assertThat(schemaHistory(reopened)).isEqualTo(historyBefore)
                    .filteredOn(row -> "1".equals(row.get("version"))).hasSize(1);
            assertThat(reopened.dsl().fetchCount(ANALYSIS)).isEqualTo(2);
        }
    }

    /** Flyway's record of what it ran, without the run times. */
    private static List<Record> schemaHistory(Database database) {
        return database.dsl().select(DSL.field(DSL.name("installed_rank")), DSL.field(DSL.name("version")),
                        DSL.field(DSL.name("script")), DSL.field(DSL.name("checksum")), DSL.field(DSL.name("success")))
                .from(DSL.table(DSL.name("flyway_schema_history")))
                .orderBy(DSL.field(DSL.name("installed_rank")))
                .fetch()
                .stream().map(Record.class::cast).toList();
    }

    @Test
    void createsAMissingDataDirectoryForItsOwnerOnly() throws Exception {
        Path dataDir = tempDir.resolve("var/lib/peekaboo");

        try (Database database = Database.open(DatabaseSettings.embedded(dataDir))) {
            assertThat(database.dialect()).isEqualTo(SQLDialect.H2);
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(dataDir.resolve("peekaboo.mv.db")).isRegularFile();
    }

    @Test
    void anH2UrlWithoutTheSchemasSettingsGetsThem() {
        String url = "jdbc:h2:file:" + tempDir.resolve("plain");

        try (Database database = Database.open(new DatabaseSettings(url, "sa", "", 2))) {
            assertThat(database.maskedUrl()).isEqualTo(url);
            assertThat(database.dsl().fetchCount(ANALYSIS)).isZero();
        }
    }

    @Test
    void anExternalH2UrlReachesTheEmbeddedDatabaseOfTheSameFile() {
        Path dataDir = tempDir.resolve("data");
        try (Database embedded = Database.open(DatabaseSettings.embedded(dataDir))) {
            embedded.analysisStore("embedded", SOON_AFTER, MAX_AGE).begin(new Sample(TestContents.empty(), SHA256, 0, null, null, null, SHA256), STARTED);
        }

        String url = "jdbc:h2:file:" + dataDir.resolve("peekaboo");
        try (Database external = Database.open(DatabaseSettings.external(url))) {
            assertThat(external.dsl().fetchCount(ANALYSIS)).isEqualTo(1);
        }
    }

    @Test
    void anH2UrlContradictingTheSchemaIsRefused() {
        String url = "jdbc:h2:file:" + tempDir.resolve("oracle") + ";MODE=Oracle";

        assertThatThrownBy(() -> Database.open(new DatabaseSettings(url, "sa", "", 2)))
                .isInstanceOf(StoreException.class)
                .hasMessage("Cannot open database " + url
                        + ": the H2 URL sets MODE=Oracle but Peekaboo's schema needs MODE=MariaDB");
    }

    @Test
    void anUnknownKindOfDatabaseIsRefusedNamingTheUrl() {
        assertThatThrownBy(() -> Database.open(new DatabaseSettings("jdbc:sqlite:/data/p.db", null, null, 1)))
                .isInstanceOf(StoreException.class)
                .hasMessage("Cannot open database jdbc:sqlite:/data/p.db: unsupported JDBC URL;"
                        + " use jdbc:h2: or jdbc:mariadb:");
    }

    @Test
    void postgresqlIsRecognisedButNotSupportedYet() {
        assertThatThrownBy(() -> Database.open(new DatabaseSettings("jdbc:postgresql://db/p", null, null, 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://db/p")
                .hasMessageContaining("not supported yet");
    }

    @Test
    void anUnreachableServerFailsNamingTheUrlWithItsPasswordMasked() {
        // Nothing listens on port 1, so the connection is refused at once.
        String url = "jdbc:mariadb://127.0.0.1:1/peekaboo?user=peekaboo&password=hunter22&connectTimeout=2000";

        assertThatThrownBy(() -> Database.open(new DatabaseSettings(url, null, null, 1)))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot open database jdbc:mariadb://127.0.0.1:1/peekaboo?user=peekaboo"
                        + "&password=***&connectTimeout=2000: ")
                .hasMessageContaining("onnect")
                .hasMessageNotContaining("hunter22");
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsNamed() throws Exception {
        Path file = Files.writeString(tempDir.resolve("not-a-directory"), "");
        Path dataDir = file.resolve("data");

        assertThatThrownBy(() -> Database.open(DatabaseSettings.embedded(dataDir)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot create its directory " + dataDir);
    }

    @Test
    void dataFilesAreKeptFromOthersWhateverTheUmaskLeftThem() throws Exception {
        Path dataDir = Files.createDirectories(tempDir.resolve("loose"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path oldTrace = Files.writeString(dataDir.resolve("peekaboo.trace.db"), "an old trace\n");
        Files.setPosixFilePermissions(oldTrace, PosixFilePermissions.fromString("rw-rw-rw-"));

        try (Database database = Database.open(DatabaseSettings.embedded(dataDir))) {
            database.analysisStore("perm", SOON_AFTER, MAX_AGE)
                    .begin(new Sample(TestContents.empty(), SHA256, 0, null, null, null, SHA256), STARTED);
            assertPrivate(dataDir);
        }

        assertPrivate(dataDir);
    }

    private static void assertPrivate(Path dataDir) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .as("data directory").matches("rwx[r-]-[x-]---");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.toList()).as("files in the data directory").isNotEmpty().allSatisfy(file ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                            .as("%s", file).matches("rw-[r-]-----"));
        }
    }

    /**
     * H2 closes a database whose file failed it, as it does after {@code SHUTDOWN}: the store is
     * then unreachable, logged once, and usable again without a restart once a probe has
     * reopened the database.
     */
    @Test
    void anEmbeddedDatabaseThatClosedItselfIsReopenedWithoutARestart() throws Exception {
        Path dataDir = tempDir.resolve("reopen");
        try (Database database = Database.open(DatabaseSettings.embedded(dataDir))) {
            AnalysisStore store = database.analysisStore("reopen", SOON_AFTER, MAX_AGE);
            store.begin(new Sample(TestContents.empty(), SHA256, 0, null, null, null, SHA256), STARTED);
            assertThatThrownBy(() -> database.dsl().execute("SHUTDOWN")).as("the closing session's own answer")
                    .hasMessageContaining("closed");

            assertThatThrownBy(() -> store.begin(new Sample(TestContents.empty(), SHA256, 0, null, null, null, SHA256), STARTED))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.unreachable()).isTrue());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (database.outage().isDown()) {
                assertThat(System.nanoTime()).as("waiting for the database to be reopened").isLessThan(deadline);
                Thread.sleep(20);
            }

            store.begin(new Sample(TestContents.empty(), SHA256, 0, null, null, null, SHA256), STARTED);
            assertThat(database.dsl().fetchCount(ANALYSIS)).isEqualTo(2);
        }
    }
}
