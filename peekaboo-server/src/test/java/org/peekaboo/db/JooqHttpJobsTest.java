package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.db.schema.Tables.HTTP_JOB;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.http.HttpJobs;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class JooqHttpJobsTest {
    @TempDir
    Path dataDir;
    private Database database;
    private JooqHttpJobs jobs;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(dataDir));
        jobs = database.httpJobs("instance-a", Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aJobIsReportedOnlyOnceFinishedWithItsRules() {
        long job = jobs.create();
        assertThat(jobs.report(job)).isEmpty();

        List<RuleResult> rules = List.of(RuleResult.proceed("known", Result.UNKNOWN, "not known"),
                RuleResult.stop("office_macro", Result.BAD, "macro"));
        jobs.finish(job, new HttpJobs.Report(Result.BAD, "macro", rules));

        assertThat(jobs.report(job)).contains(new HttpJobs.Report(Result.BAD, "macro", rules));
    }

    @Test
    void aReasonLongerThanItsColumnIsCutWithoutSplittingACharacter() {
        int max = HTTP_JOB.REASON.getDataType().length();
        String reason = "x".repeat(max - 1) + "\uD83D\uDE00 and more";
        long job = jobs.create();

        jobs.finish(job, new HttpJobs.Report(Result.BAD, reason, List.of()));

        assertThat(jobs.report(job).orElseThrow().reason()).isEqualTo("x".repeat(max - 1));
    }

    @Test
    void aStoredResultPeekabooDoesNotKnowReadsAsFailedNeverAsAPass() {
        long job = jobs.create();
        jobs.finish(job, new HttpJobs.Report(Result.GOOD, "fine", List.of()));
        database.dsl().update(HTTP_JOB).set(HTTP_JOB.RESULT, "perhaps").where(HTTP_JOB.JOB_ID.eq(job)).execute();

        assertThat(jobs.report(job).orElseThrow().result()).isEqualTo(Result.FAILED);
    }
}
