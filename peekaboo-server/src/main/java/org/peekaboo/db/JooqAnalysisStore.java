package org.peekaboo.db;

import static org.peekaboo.db.schema.Tables.ANALYSIS;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertSetMoreStep;
import org.jooq.Record3;
import org.jooq.Record4;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.db.schema.tables.records.AnalysisRecord;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The analysis store on any database jOOQ speaks, with the schema of the Flyway scripts.
 *
 * <p>Times are stored as UTC wall-clock times with millisecond precision; finer parts are
 * cut off before writing so that every database returns what was written. Declared names,
 * types and reasons longer than their columns are cut to fit: they are display metadata
 * (the identity, computed from the full values, is what matters), and refusing them would
 * hold back every mail with such an attachment.
 *
 * <p>Every operation is one statement (or a read after it) and is run through a {@link Retry}:
 * one that lost a deadlock or a lock wait is run again; one that found the database
 * unreachable fails at once.
 */
public final class JooqAnalysisStore implements AnalysisStore {
    private static final int MAX_INSTANCE_ID_LENGTH = ANALYSIS.INSTANCE_ID.getDataType().length();

    private final DSLContext dsl;
    private final String instanceId;
    private final Retry retry;
    private final Runnable onClose;
    private final Clock clock;
    private final Duration resultMaxAge;
    private final ReportJson reportJson = new ReportJson();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param dsl        access to a database migrated with Peekaboo's schema
     * @param instanceId this Peekaboo instance's name, recorded with every analysis it starts
     * @param retry      runs each operation, again after contention
     * @param onClose    releases what the store uses, e.g. the connection pool; run once
     * @param clock        tells the age of stored results
     * @param resultMaxAge how long after it finished a result is still reported by
     *                     {@link #worstFinished}
     */
    public JooqAnalysisStore(DSLContext dsl, String instanceId, Retry retry, Runnable onClose, Clock clock,
                             Duration resultMaxAge) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(resultMaxAge, "resultMaxAge");
        if (resultMaxAge.isNegative() || resultMaxAge.isZero()) {
            throw new IllegalArgumentException("result max age must be positive, got " + resultMaxAge);
        }
        this.resultMaxAge = resultMaxAge;
        this.retry = Objects.requireNonNull(retry, "retry");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isBlank() || instanceId.length() > MAX_INSTANCE_ID_LENGTH) {
            throw new IllegalArgumentException("instance id must have 1 to " + MAX_INSTANCE_ID_LENGTH
                    + " characters, got '" + instanceId + "'");
        }
        this.instanceId = instanceId;
    }

    @Override
    public long begin(Sample sample, Instant startedAt) {
        try {
            return retry.run(() -> insertSample(sample, startedAt)
                    .set(ANALYSIS.STATE, State.RUNNING.name())
                    .set(ANALYSIS.RESULT, Result.UNCHECKED.label())
                    .set(ANALYSIS.SEVERITY, severity(Result.UNCHECKED))
                    .returningResult(ANALYSIS.JOB_ID)
                    .fetchSingle()
                    .value1());
        } catch (RuntimeException e) {
            throw failure("record the start of an analysis of sample " + sample.identity(), e);
        }
    }

    @Override
    public long record(Sample sample, SampleVerdict verdict, Instant startedAt, Instant finishedAt) {
        try {
            return retry.run(() -> insertSample(sample, startedAt)
                    .set(outcome(verdict, finishedAt))
                    .returningResult(ANALYSIS.JOB_ID)
                    .fetchSingle()
                    .value1());
        } catch (RuntimeException e) {
            throw failure("record the analysis of sample " + sample.identity(), e);
        }
    }

    /** The columns a finished analysis has beyond those of a running one. */
    private Map<Field<?>, Object> outcome(SampleVerdict verdict, Instant finishedAt) {
        Map<Field<?>, Object> columns = new LinkedHashMap<>();
        columns.put(ANALYSIS.STATE, State.FINISHED.name());
        columns.put(ANALYSIS.RESULT, verdict.result().label());
        columns.put(ANALYSIS.SEVERITY, severity(verdict.result()));
        columns.put(ANALYSIS.REASON, fitted(ANALYSIS.REASON, verdict.reason()));
        columns.put(ANALYSIS.REPORT, reportJson.write(verdict.report(), reason -> fitted(ANALYSIS.REASON, reason)));
        columns.put(ANALYSIS.FINISHED_AT, toColumn(finishedAt));
        return columns;
    }

    private InsertSetMoreStep<AnalysisRecord> insertSample(Sample sample, Instant startedAt) {
        return dsl.insertInto(ANALYSIS)
                .set(ANALYSIS.IDENTITY, sample.identity())
                .set(ANALYSIS.SHA256, sample.sha256())
                .set(ANALYSIS.FILE_SIZE, sample.size())
                .set(ANALYSIS.NAME_DECLARED, fitted(ANALYSIS.NAME_DECLARED, sample.nameDeclared()))
                .set(ANALYSIS.TYPE_DECLARED, fitted(ANALYSIS.TYPE_DECLARED, sample.typeDeclared()))
                .set(ANALYSIS.CONTENT_DISPOSITION, fitted(ANALYSIS.CONTENT_DISPOSITION, sample.contentDisposition()))
                .set(ANALYSIS.INSTANCE_ID, instanceId)
                .set(ANALYSIS.CREATED_AT, toColumn(startedAt));
    }

    /**
     * Records the outcome of a running analysis. An analysis is finished once: finishing an
     * unknown or already finished job fails rather than overwrite a verdict other samples
     * may already have been judged by.
     */
    @Override
    public void finish(long jobId, SampleVerdict verdict, Instant finishedAt) {
        String operation = "record the outcome of job " + jobId;
        if (verdict.jobId() != 0 && verdict.jobId() != jobId) {
            throw new StoreException("Cannot " + operation + ": the verdict belongs to job " + verdict.jobId(), null);
        }
        String notRunning;
        try {
            notRunning = retry.run(() -> {
                int updated = dsl.update(ANALYSIS)
                    .set(outcome(verdict, finishedAt))
                    .where(ANALYSIS.JOB_ID.eq(jobId))
                    .and(ANALYSIS.STATE.eq(State.RUNNING.name()))
                    .execute();
                return updated == 0 ? whyNotRunning(jobId) : null;
            });
        } catch (RuntimeException e) {
            throw failure(operation, e);
        }
        if (notRunning != null) {
            throw new StoreException("Cannot " + operation + ": " + notRunning, null);
        }
    }

    private String whyNotRunning(long jobId) {
        AnalysisRecord existing = dsl.selectFrom(ANALYSIS).where(ANALYSIS.JOB_ID.eq(jobId)).fetchOne();
        if (existing == null) {
            return "there is no such analysis";
        }
        return "it was already finished at " + toInstant(existing.getFinishedAt()) + " with result "
                + existing.getResult();
    }

    @Override
    public Optional<StoredAnalysis> find(long jobId) {
        String operation = "read job " + jobId;
        AnalysisRecord row;
        try {
            row = retry.run(() -> dsl.selectFrom(ANALYSIS).where(ANALYSIS.JOB_ID.eq(jobId)).fetchOne());
        } catch (RuntimeException e) {
            throw failure(operation, e);
        }
        if (row == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredAnalysis(row.getJobId(), row.getIdentity(), row.getSha256(),
                    row.getFileSize(), row.getNameDeclared(), row.getTypeDeclared(), row.getContentDisposition(),
                    State.valueOf(row.getState()), result(row.getResult()), row.getReason(),
                    row.getReport() == null ? List.of() : reportJson.read(row.getReport()),
                    row.getInstanceId(), toInstant(row.getCreatedAt()), toInstant(row.getFinishedAt())));
        } catch (IllegalArgumentException e) {
            throw new StoreException("Cannot " + operation + ": the stored row is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Worst first; among equally bad results the most recently finished. Results that finished
     * longer than the result max age ago are left out: the finish time is the last column the
     * known index filters on before its sort order, so old rows are skipped within the index.
     */
    @Override
    public Optional<StoredResult> worstFinished(String identity, long excludingJobId) {
        String operation = "look up earlier analyses of sample " + identity + " (other than job " + excludingJobId + ")";
        Condition usable = usable(identity, excludingJobId);
        Record4<Long, String, String, LocalDateTime> row;
        try {
            row = retry.run(() -> dsl.select(ANALYSIS.JOB_ID, ANALYSIS.RESULT, ANALYSIS.REASON, ANALYSIS.FINISHED_AT)
                    .from(ANALYSIS)
                    .where(usable)
                    .orderBy(ANALYSIS.SEVERITY.desc(), ANALYSIS.FINISHED_AT.desc(), ANALYSIS.JOB_ID.desc())
                    .limit(1)
                    .fetchOne());
        } catch (RuntimeException e) {
            throw failure(operation, e);
        }
        if (row == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredResult(row.value1(), result(row.value2()), row.value3(),
                    toInstant(row.value4())));
        } catch (IllegalArgumentException e) {
            throw new StoreException("Cannot " + operation + ": job " + row.value1() + " is corrupt: "
                    + e.getMessage(), e);
        }
    }

    /**
     * One grouped query over the same analyses as {@link #worstFinished}: at most one row per
     * result, however often the sample was seen, so the known index answers it.
     */
    @Override
    public Optional<History> history(String identity, long excludingJobId) {
        String operation = "read the history of sample " + identity + " (other than job " + excludingJobId + ")";
        Condition usable = usable(identity, excludingJobId);
        List<Record3<Short, LocalDateTime, LocalDateTime>> rows;
        try {
            rows = retry.run(() -> dsl.select(ANALYSIS.SEVERITY, DSL.min(ANALYSIS.FINISHED_AT),
                            DSL.max(ANALYSIS.FINISHED_AT))
                    .from(ANALYSIS)
                    .where(usable)
                    .groupBy(ANALYSIS.SEVERITY)
                    .fetch());
        } catch (RuntimeException e) {
            throw failure(operation, e);
        }
        History history = null;
        for (Record3<Short, LocalDateTime, LocalDateTime> row : rows) {
            Result result = ofSeverity(row.value1());
            Instant first = toInstant(row.value2());
            Instant last = toInstant(row.value3());
            history = history == null ? new History(first, last, result, result) : history.with(result, first, last);
        }
        return Optional.ofNullable(history);
    }

    /** The analyses the known lookups consider: see {@link org.peekaboo.ruleset.KnownResults#worstFinished}. */
    private Condition usable(String identity, long excludingJobId) {
        return ANALYSIS.IDENTITY.eq(identity)
                .and(ANALYSIS.STATE.eq(State.FINISHED.name()))
                .and(ANALYSIS.SEVERITY.notIn(severity(Result.FAILED), severity(Result.UNCHECKED)))
                .and(ANALYSIS.JOB_ID.ne(excludingJobId))
                .and(ANALYSIS.FINISHED_AT.ge(toColumn(clock.instant().minus(resultMaxAge))));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    /**
     * PeekabooAV's badness numbers. Spelled out rather than derived from the enum's order:
     * they are stored, so they must not move when a result is added.
     */
    static short severity(Result result) {
        return switch (result) {
            case UNCHECKED -> 1;
            case UNKNOWN -> 2;
            case IGNORED -> 3;
            case GOOD -> 4;
            case FAILED -> 5;
            case BAD -> 6;
        };
    }

    private static Result ofSeverity(short severity) {
        for (Result result : Result.values()) {
            if (severity(result) == severity) {
                return result;
            }
        }
        throw new StoreException("severity " + severity + " stands for no result", null);
    }

    private static Result result(String label) {
        return Result.parse(label)
                .orElseThrow(() -> new IllegalArgumentException("'" + label + "' is not a result"));
    }

    /** Cuts {@code value} to the column's length without splitting a surrogate pair. */
    static String fitted(Field<String> column, String value) {
        int max = column.getDataType().length();
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

    private static LocalDateTime toColumn(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    private static Instant toInstant(LocalDateTime column) {
        return column == null ? null : column.toInstant(ZoneOffset.UTC);
    }

    /** Any failure, not only SQL ones: a closed pool or a broken report must not escape as a pass. */
    private static StoreException failure(String operation, RuntimeException e) {
        SQLException sqlCause = e instanceof DataAccessException dataAccess ? dataAccess.getCause(SQLException.class) : null;
        String diagnosis = sqlCause != null ? sqlCause.getMessage() : e.toString();
        return new StoreException("Cannot " + operation + ": " + diagnosis, e, TransientFailures.isUnreachable(e));
    }
}
