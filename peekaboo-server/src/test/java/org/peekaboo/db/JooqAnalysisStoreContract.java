package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peekaboo.db.schema.Tables.ANALYSIS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.analysis.AnalysisStore.StoreException;
import org.peekaboo.analysis.AnalysisStore.StoredAnalysis;
import org.peekaboo.analysis.testing.AnalysisStoreContract;
import org.peekaboo.sample.Sample;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

/**
 * The store contract on a database, and what only a database can be asked: how the columns
 * keep what the store writes, and what becomes of a failing database.
 */
public abstract class JooqAnalysisStoreContract extends AnalysisStoreContract {
    private Database database;

    /** Opens the database under test, migrated; every call must reach the same data. */
    protected abstract Database openDatabase();

    /** Closing the store closes the database as well. */
    @Override
    protected final AnalysisStore openStore(String instanceId, Clock clock, Duration resultMaxAge) {
        database = openDatabase();
        return database.analysisStore(instanceId, clock, resultMaxAge);
    }

    @Test
    void overlongDeclaredValuesAndReasonsAreCutToTheirColumns() {
        // Where the contract lets a store cut, the database cuts exactly to the column. The cut falls inside a surrogate pair, which must not be split.
        String name = "x".repeat(1023) + "📎" + "y".repeat(4000);
        String type = "application/" + "t".repeat(300);
        String disposition = "attachment; " + "d".repeat(300);
        String reason = "ä".repeat(5000);
        Sample sample = sample(name, type, disposition);
        long jobId = store().begin(sample, STARTED);

        store().finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("cortex", Result.FAILED, reason)), jobId),
                STARTED);

        StoredAnalysis stored = store().find(jobId).orElseThrow();
        assertThat(stored.identity()).isEqualTo(sample.identity());
        assertThat(stored.nameDeclared()).isEqualTo("x".repeat(1023));
        assertThat(stored.typeDeclared()).isEqualTo(type.substring(0, 255));
        assertThat(stored.contentDisposition()).isEqualTo(disposition.substring(0, 255));
        assertThat(stored.reason()).isEqualTo("ä".repeat(4000));
        assertThat(stored.report().getFirst().reason()).isEqualTo("ä".repeat(4000));
    }

    @Test
    void reportIsStoredAsAJsonArrayOfRuleResults() throws Exception {
        long jobId = store().begin(sample("a.txt"), STARTED);
        store().finish(jobId, SampleVerdict.of(List.of(RuleResult.stop("known", Result.BAD, "seen before")), jobId),
                STARTED);

        String json = database.dsl().select(ANALYSIS.REPORT).from(ANALYSIS).where(ANALYSIS.JOB_ID.eq(jobId))
                .fetchSingle().value1();

        JsonNode stored = JsonMapper.builder().build().readTree(json);
        assertThat(stored.isArray()).isTrue();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("rule").asText()).isEqualTo("known");
        assertThat(stored.get(0).get("result").asText()).isEqualTo("bad");
        assertThat(stored.get(0).get("reason").asText()).isEqualTo("seen before");
        assertThat(stored.get(0).get("further_analysis").isBoolean()).isTrue();
        assertThat(stored.get(0).get("further_analysis").asBoolean()).isFalse();
    }

    @Test
    void timesAreStoredAsUtcWithMillisecondPrecision() {
        Instant startedWithNanos = Instant.parse("2031-10-26T23:59:59.987654321Z");
        long jobId = store().begin(sample("a.txt"), startedWithNanos);

        LocalDateTime column = database.dsl().select(ANALYSIS.CREATED_AT).from(ANALYSIS)
                .where(ANALYSIS.JOB_ID.eq(jobId)).fetchSingle().value1();

        assertThat(column).isEqualTo(LocalDateTime.parse("2031-10-26T23:59:59.987"));
        assertThat(store().find(jobId).orElseThrow().createdAt()).isEqualTo(Instant.parse("2031-10-26T23:59:59.987Z"));
    }

    @Test
    void everyFailureOfTheDatabaseBecomesAStoreExceptionNamingTheOperation() {
        Sample sample = sample("a.txt");
        long jobId = store().begin(sample, STARTED);
        database.close();

        assertThatThrownBy(() -> store().begin(sample, STARTED)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot record the start of an analysis of sample " + sample.identity() + ": ");
        assertThatThrownBy(() -> store().finish(jobId, verdict(Result.BAD), STARTED)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot record the outcome of job " + jobId + ": ");
        assertThatThrownBy(() -> store().find(jobId)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot read job " + jobId + ": ");
        assertThatThrownBy(() -> store().worstFinished(sample.identity(), jobId)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot look up earlier analyses of sample " + sample.identity());
    }
}
