package org.peekaboo.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.http.AnalysisJournal;
import org.peekaboo.http.AnalysisJournal.Entry;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleIdentity;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

class JooqAnalysisJournalTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dataDir;
    private Database database;
    private AnalysisStore store;
    private AnalysisJournal journal;

    @BeforeEach
    void open() {
        database = Database.open(DatabaseSettings.embedded(dataDir));
        store = database.analysisStore("instance-a", Clock.systemUTC(), Duration.ofDays(30));
        journal = database.journal();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void latestAnalysesComeNewestFirstWithTheirDecidingRuleAndChain() {
        Sample clean = sample("mail.eml/part 1");
        long first = store.record(clean, SampleVerdict.of(List.of(
                RuleResult.proceed("known", Result.UNKNOWN, "not known"),
                RuleResult.stop("file_type_on_whitelist", Result.IGNORED, "File type is on whitelist")), 0),
                NOW.minusSeconds(30), NOW.minusSeconds(29));
        Sample bad = sample("mail.eml/Rechnung.zip/Rechnung.doc");
        long second = store.record(bad, SampleVerdict.of(List.of(
                RuleResult.proceed("known", Result.UNKNOWN, "not known"),
                RuleResult.stop("office_macro_dropper", Result.BAD, "Document_Open runs powershell")), 0),
                NOW.minusSeconds(20), NOW.minusSeconds(19));

        List<Entry> latest = journal.latest(10);

        assertThat(latest).extracting(Entry::jobId).containsExactly(second, first);
        Entry entry = latest.getFirst();
        assertThat(entry.rule()).isEqualTo("office_macro_dropper");
        assertThat(entry.result()).isEqualTo("bad");
        assertThat(entry.reason()).isEqualTo("Document_Open runs powershell");
        assertThat(entry.chain()).containsExactly("mail.eml", "Rechnung.zip", "Rechnung.doc");
        assertThat(entry.report()).extracting(RuleResult::rule).containsExactly("known", "office_macro_dropper");
        assertThat(entry.instance()).isEqualTo("instance-a");
        assertThat(journal.latest(1)).extracting(Entry::jobId).containsExactly(second);
    }

    @Test
    void aSampleIsFoundByItsSha256InAnyCaseAndAnAnalysisByItsJob() {
        Sample sample = sample("invoice.pdf");
        long job = store.record(sample, verdict("pdf_dropper", Result.BAD), NOW.minusSeconds(5), NOW.minusSeconds(4));
        long retry = store.record(sample, verdict("known", Result.BAD), NOW.minusSeconds(2), NOW.minusSeconds(1));

        assertThat(journal.ofSha256(sample.sha256().toUpperCase(), 10)).extracting(Entry::jobId)
                .containsExactly(retry, job);
        assertThat(journal.ofJob(job)).singleElement().satisfies(entry -> assertThat(entry.rule()).isEqualTo("pdf_dropper"));
        assertThat(journal.ofJob(job + 1000)).isEmpty();
        assertThat(journal.ofSha256("0".repeat(64), 10)).isEmpty();
    }

    @Test
    void countsAreByResultAndDecidingRuleOfWhatFinishedSinceAndLeaveRunningOnesOut() {
        store.record(sample("a.txt"), verdict("file_type_on_whitelist", Result.IGNORED), NOW.minusSeconds(90),
                NOW.minusSeconds(89));
        store.record(sample("b.txt"), verdict("contains_peekabooyar", Result.BAD), NOW.minusSeconds(60),
                NOW.minusSeconds(59));
        store.record(sample("c.txt"), verdict("contains_peekabooyar", Result.BAD), NOW.minusSeconds(30),
                NOW.minusSeconds(29));
        store.record(sample("old.txt"), verdict("final_rule", Result.GOOD), NOW.minus(Duration.ofDays(2)),
                NOW.minus(Duration.ofDays(2)));
        store.begin(sample("running.txt"), NOW.minusSeconds(10));

        List<AnalysisJournal.Counts> periods = journal.finishedSince(
                List.of(NOW.minus(Duration.ofHours(1)), NOW.minus(Duration.ofDays(3))));
        AnalysisJournal.Counts counts = periods.get(0);

        assertThat(counts.byResult()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("ignored", 1L, "bad", 2L));
        assertThat(counts.byRule()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("file_type_on_whitelist", 1L, "contains_peekabooyar", 2L));
        assertThat(counts.cut()).isFalse();
        assertThat(periods.get(1).byResult()).as("the longer period, from the same pass")
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("ignored", 1L, "bad", 2L, "good", 1L));
    }

    private static SampleVerdict verdict(String rule, Result result) {
        return SampleVerdict.of(List.of(RuleResult.stop(rule, result, "by " + rule)), 0);
    }

    private static Sample sample(String name) {
        byte[] content = new byte[32];
        ThreadLocalRandom.current().nextBytes(content);
        String sha256 = HexFormat.of().formatHex(content);
        return new Sample(TestContents.empty(), sha256, 42, name, "application/octet-stream", "attachment",
                SampleIdentity.of(sha256, name, "application/octet-stream", "attachment"));
    }
}
