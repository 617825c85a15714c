package org.peekaboo.db;

import static org.peekaboo.db.schema.Tables.ANALYSIS;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jooq.Condition;
import org.jooq.ConnectionCallable;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.db.schema.tables.records.AnalysisRecord;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
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
    // The statements of every sample, rendered by jOOQ once for the database's dialect: only their
    // values change from sample to sample, and rendering each time cost more than running them.
    private final String insertSql;
    private final String finishSql;
    private final String worstFinishedSql;
    /** Earlier results in memory, when no other process writes to the database; null otherwise. */
    private final RecentResults recent;
    /** The identities of the analyses this store began and has not finished, for {@link #recent}. */
    private final Map<Long, String> running = new ConcurrentHashMap<>();

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
        this(dsl, instanceId, retry, onClose, clock, resultMaxAge, false);
    }

    /**
     * @param onlyWriter whether no other process writes to this database (an embedded H2 file):
     *                   then earlier results of recent samples are kept in memory
     */
    public JooqAnalysisStore(DSLContext dsl, String instanceId, Retry retry, Runnable onClose, Clock clock,
                             Duration resultMaxAge, boolean onlyWriter) {
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
        this.recent = onlyWriter ? new RecentResults() : null;
        this.insertSql = dsl.render(dsl.insertInto(ANALYSIS, INSERTED).values(placeholders()));
        this.finishSql = dsl.render(dsl.update(ANALYSIS)
                .set(ANALYSIS.STATE, DSL.inline(State.FINISHED.name()))
                .set(ANALYSIS.RESULT, placeholder(ANALYSIS.RESULT))
                .set(ANALYSIS.SEVERITY, placeholder(ANALYSIS.SEVERITY))
                .set(ANALYSIS.REASON, placeholder(ANALYSIS.REASON))
                .set(ANALYSIS.REPORT, placeholder(ANALYSIS.REPORT))
                .set(ANALYSIS.FINISHED_AT, placeholder(ANALYSIS.FINISHED_AT))
                .where(ANALYSIS.JOB_ID.eq(placeholder(ANALYSIS.JOB_ID)))
                .and(ANALYSIS.STATE.eq(DSL.inline(State.RUNNING.name()))));
        this.worstFinishedSql = dsl.render(dsl.select(ANALYSIS.JOB_ID, ANALYSIS.RESULT, ANALYSIS.REASON,
                        ANALYSIS.FINISHED_AT)
                .from(ANALYSIS)
                .where(usable(placeholder(ANALYSIS.IDENTITY), placeholder(ANALYSIS.JOB_ID),
                        placeholder(ANALYSIS.FINISHED_AT)))
                .orderBy(ANALYSIS.SEVERITY.desc(), ANALYSIS.FINISHED_AT.desc(), ANALYSIS.JOB_ID.desc())
                .limit(DSL.inline(1)));
    }

    /** The columns an analysis is inserted with, in the order of the insert statement's values. */
    private static final List<Field<?>> INSERTED = List.of(ANALYSIS.IDENTITY, ANALYSIS.SHA256, ANALYSIS.FILE_SIZE,
            ANALYSIS.NAME_DECLARED, ANALYSIS.TYPE_DECLARED, ANALYSIS.CONTENT_DISPOSITION, ANALYSIS.INSTANCE_ID,
            ANALYSIS.CREATED_AT, ANALYSIS.STATE, ANALYSIS.RESULT, ANALYSIS.SEVERITY, ANALYSIS.REASON, ANALYSIS.REPORT,
            ANALYSIS.FINISHED_AT);

    /** A bind variable where a column's values go, rendered as {@code ?}. */
    private static <T> Field<T> placeholder(Field<T> column) {
        return DSL.val(null, column.getDataType());
    }

    private static List<Field<?>> placeholders() {
        List<Field<?>> values = new ArrayList<>(INSERTED.size());
        for (Field<?> column : INSERTED) {
            values.add(placeholder(column));
        }
        return values;
    }

    @Override
    public long begin(Sample sample, Instant startedAt) {
        long jobId = insert("record the start of an analysis of sample " + sample.identity(), sample, startedAt,
                State.RUNNING, Result.UNCHECKED, null, null, null);
        if (recent != null) {
            running.put(jobId, sample.identity());
        }
        return jobId;
    }

    @Override
    public long record(Sample sample, SampleVerdict verdict, Instant startedAt, Instant finishedAt) {
        long jobId = insert("record the analysis of sample " + sample.identity(), sample, startedAt, State.FINISHED,
                verdict.result(), verdict.reason(), verdict.report(), finishedAt);
        remember(sample.identity(), jobId, verdict, finishedAt);
        return jobId;
    }

    private void remember(String identity, long jobId, SampleVerdict verdict, Instant finishedAt) {
        if (recent != null && identity != null) {
            recent.written(identity, jobId, verdict.result(), fitted(ANALYSIS.REASON, verdict.reason()),
                    finishedAt.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    private long insert(String operation, Sample sample, Instant startedAt, State state, Result result, String reason,
                        List<RuleResult> report, Instant finishedAt) {
        // A member is shown with the containers it came from (invoice.zip/docs/invoice.docm); its identity
        // has its own name only.
        Object[] values = {sample.identity(), sample.sha256(), sample.size(),
            fitted(ANALYSIS.NAME_DECLARED, sample.declaredPath()), fitted(ANALYSIS.TYPE_DECLARED, sample.typeDeclared()),
            fitted(ANALYSIS.CONTENT_DISPOSITION, sample.contentDisposition()), instanceId, toColumn(startedAt),
            state.name(), result.label(), severity(result), fitted(ANALYSIS.REASON, reason), reportColumn(report),
            finishedAt == null ? null : toColumn(finishedAt)};
        return execute(operation, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(insertSql, Statement.RETURN_GENERATED_KEYS)) {
                bind(insert, values);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned no job id");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    private String reportColumn(List<RuleResult> report) {
        return report == null ? null : reportJson.write(report, reason -> fitted(ANALYSIS.REASON, reason));
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
        Object[] values = {verdict.result().label(), severity(verdict.result()), fitted(ANALYSIS.REASON, verdict.reason()),
            reportColumn(verdict.report()), toColumn(finishedAt), jobId};
        int finished = execute(operation, connection -> {
            try (PreparedStatement update = connection.prepareStatement(finishSql)) {
                bind(update, values);
                return update.executeUpdate();
            }
        });
        if (finished == 1) {
            remember(running.remove(jobId), jobId, verdict, finishedAt);
        }
        if (finished == 0) {
            String notRunning;
            try {
                notRunning = retry.run(() -> whyNotRunning(jobId));
            } catch (RuntimeException e) {
                throw failure(operation, e);
            }
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
        if (recent == null) {
            return queryWorstFinished(identity, excludingJobId);
        }
        return recent.worstFinished(identity, excludingJobId, clock.instant().minus(resultMaxAge),
                excluding -> queryWorstFinished(identity, excluding));
    }

    private Optional<StoredResult> queryWorstFinished(String identity, long excludingJobId) {
        String operation = "look up earlier analyses of sample " + identity + " (other than job " + excludingJobId + ")";
        Object[] values = {identity, excludingJobId, oldestUsable()};
        return execute(operation, connection -> {
            try (PreparedStatement select = connection.prepareStatement(worstFinishedSql)) {
                bind(select, values);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    long jobId = row.getLong(1);
                    try {
                        return Optional.of(new StoredResult(jobId, result(row.getString(2)), row.getString(3),
                                toInstant(row.getObject(4, LocalDateTime.class))));
                    } catch (IllegalArgumentException e) {
                        throw new StoreException("Cannot " + operation + ": job " + jobId + " is corrupt: "
                                + e.getMessage(), e);
                    }
                }
            }
        });
    }

    /**
     * One grouped query over the same analyses as {@link #worstFinished}: at most one row per
     * result, however often the sample was seen, so the known index answers it.
     */
    @Override
    public Optional<History> history(String identity, long excludingJobId) {
        String operation = "read the history of sample " + identity + " (other than job " + excludingJobId + ")";
        Condition usable = usable(DSL.val(identity), DSL.val(excludingJobId), DSL.val(oldestUsable()));
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
    private static Condition usable(Field<String> identity, Field<Long> excludingJobId,
                                    Field<LocalDateTime> finishedSince) {
        return ANALYSIS.IDENTITY.eq(identity)
                .and(ANALYSIS.STATE.eq(DSL.inline(State.FINISHED.name())))
                .and(ANALYSIS.SEVERITY.notIn(DSL.inline(severity(Result.FAILED)), DSL.inline(severity(Result.UNCHECKED))))
                .and(ANALYSIS.JOB_ID.ne(excludingJobId))
                .and(ANALYSIS.FINISHED_AT.ge(finishedSince));
    }

    private LocalDateTime oldestUsable() {
        return toColumn(clock.instant().minus(resultMaxAge));
    }

    /**
     * Runs one statement on a pooled connection, again after contention; any failure becomes a
     * {@link StoreException} naming the operation.
     */
    private <T> T execute(String operation, ConnectionCallable<T> statement) {
        try {
            return retry.run(() -> dsl.connectionResult(statement));
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(operation, e);
        }
    }

    private static void bind(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
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
