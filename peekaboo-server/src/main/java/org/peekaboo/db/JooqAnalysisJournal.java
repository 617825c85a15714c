package org.peekaboo.db;

import static org.peekaboo.db.schema.tables.Analysis.ANALYSIS;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.http.AnalysisJournal;
import org.peekaboo.verdict.RuleResult;

/** The postmaster's view of the analysis table ({@link AnalysisJournal}). */
final class JooqAnalysisJournal implements AnalysisJournal {
    private final DSLContext dsl;
    private final ReportJson reports = new ReportJson();

    JooqAnalysisJournal(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    @Override
    public List<Entry> latest(int limit) {
        return select(ANALYSIS.JOB_ID.isNotNull(), limit);
    }

    @Override
    public List<Entry> ofSha256(String sha256, int limit) {
        return select(ANALYSIS.SHA256.eq(sha256.toLowerCase(Locale.ROOT)), limit);
    }

    @Override
    public List<Entry> ofJob(long jobId) {
        return select(ANALYSIS.JOB_ID.eq(jobId), 1);
    }

    @Override
    public List<Counts> finishedSince(List<Instant> starts) {
        if (starts.isEmpty()) {
            return List.of();
        }
        List<Map<String, Long>> byResult = new ArrayList<>();
        List<Map<String, Long>> byRule = new ArrayList<>();
        for (int period = 0; period < starts.size(); period++) {
            byResult.add(new TreeMap<>());
            byRule.add(new TreeMap<>());
        }
        List<? extends Record> rows = dsl.select(ANALYSIS.RESULT, ANALYSIS.REPORT, ANALYSIS.FINISHED_AT).from(ANALYSIS)
                .where(ANALYSIS.STATE.eq(AnalysisStore.State.FINISHED.name()))
                .and(ANALYSIS.FINISHED_AT.ge(column(starts.stream().min(Instant::compareTo).orElseThrow())))
                .orderBy(ANALYSIS.FINISHED_AT.desc())
                .limit(MAX_COUNTED + 1)
                .fetch();
        boolean cut = rows.size() > MAX_COUNTED;
        for (Record row : rows.subList(0, Math.min(rows.size(), MAX_COUNTED))) {
            Instant finished = instant(row.get(ANALYSIS.FINISHED_AT));
            String rule = decidingRule(report(row.get(ANALYSIS.REPORT)));
            for (int period = 0; period < starts.size(); period++) {
                if (!finished.isBefore(starts.get(period))) {
                    byResult.get(period).merge(row.get(ANALYSIS.RESULT), 1L, Long::sum);
                    byRule.get(period).merge(rule == null ? "(none)" : rule, 1L, Long::sum);
                }
            }
        }
        List<Counts> counts = new ArrayList<>(starts.size());
        for (int period = 0; period < starts.size(); period++) {
            counts.add(new Counts(byResult.get(period), byRule.get(period), cut));
        }
        return counts;
    }

    private List<Entry> select(Condition which, int limit) {
        return dsl.selectFrom(ANALYSIS).where(which).orderBy(ANALYSIS.JOB_ID.desc()).limit(limit)
                .fetch(row -> {
                    List<RuleResult> report = report(row.getReport());
                    return new Entry(row.getJobId(), instant(row.getCreatedAt()), instant(row.getFinishedAt()),
                            row.getNameDeclared(), row.getTypeDeclared(), row.getSha256(), row.getFileSize(),
                            row.getState(), row.getResult(), row.getReason(), report, decidingRule(report),
                            row.getInstanceId());
                });
    }

    /** A report that cannot be read is shown as none rather than hiding the analysis. */
    private List<RuleResult> report(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return reports.read(json);
        } catch (IllegalArgumentException unreadable) {
            return List.of();
        }
    }

    private static String decidingRule(List<RuleResult> report) {
        return report.isEmpty() ? null : report.getLast().rule();
    }

    private static LocalDateTime column(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    private static Instant instant(LocalDateTime column) {
        return column == null ? null : column.toInstant(ZoneOffset.UTC);
    }
}
