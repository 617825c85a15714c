package org.peekaboo.db;

import static org.peekaboo.db.schema.Tables.HTTP_JOB;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record3;
import org.peekaboo.http.HttpJobs;
import org.peekaboo.verdict.Result;

/**
 * REST jobs in the {@code http_job} table: the database generates their ids, so any instance
 * on it answers any job. Thread-safe.
 */
public final class JooqHttpJobs implements HttpJobs {
    private static final String RUNNING = "RUNNING";
    private static final String FINISHED = "FINISHED";

    private final DSLContext dsl;
    private final String instanceId;
    private final Retry retry;
    private final Clock clock;
    private final ReportJson json = new ReportJson();

    JooqHttpJobs(DSLContext dsl, String instanceId, Retry retry, Clock clock) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long create() {
        return retry.run(() -> dsl.insertInto(HTTP_JOB, HTTP_JOB.STATE, HTTP_JOB.INSTANCE_ID, HTTP_JOB.CREATED_AT)
                .values(RUNNING, instanceId, now())
                .returningResult(HTTP_JOB.JOB_ID)
                .fetchOne(HTTP_JOB.JOB_ID));
    }

    @Override
    public void finish(long jobId, Report report) {
        String reason = JooqAnalysisStore.fitted(HTTP_JOB.REASON, report.reason());
        String rules = json.write(report.rules(), text -> text);
        retry.run(() -> dsl.update(HTTP_JOB)
                .set(HTTP_JOB.STATE, FINISHED)
                .set(HTTP_JOB.RESULT, report.result().label())
                .set(HTTP_JOB.REASON, reason)
                .set(HTTP_JOB.REPORT, rules)
                .set(HTTP_JOB.FINISHED_AT, now())
                .where(HTTP_JOB.JOB_ID.eq(jobId)).and(HTTP_JOB.STATE.eq(RUNNING))
                .execute());
    }

    @Override
    public Optional<Report> report(long jobId) {
        Optional<Record3<String, String, String>> row = retry.run(() -> dsl
                .select(HTTP_JOB.RESULT, HTTP_JOB.REASON, HTTP_JOB.REPORT)
                .from(HTTP_JOB)
                .where(HTTP_JOB.JOB_ID.eq(jobId)).and(HTTP_JOB.STATE.eq(FINISHED))
                .fetchOptional());
        return row.map(found -> new Report(Result.parse(found.value1()).orElse(Result.FAILED),
                Objects.requireNonNullElse(found.value2(), ""),
                found.value3() == null ? List.of() : json.read(found.value3())));
    }

    @Override
    public void check() {
        // Not through the outage probe's cached state: the probe answers whether a query works now.
        retry.run(() -> dsl.selectOne().fetch());
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
