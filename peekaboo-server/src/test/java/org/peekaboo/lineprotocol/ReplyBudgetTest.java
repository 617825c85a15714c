package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peekaboo.lineprotocol.ReplyBudget.FittedReport;
import org.peekaboo.lineprotocol.ReplyBudget.Shortening;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Verdict;

class ReplyBudgetTest {
    private static final int BUDGET = 16 * 1024;
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final int FINAL_LINES = ProtocolLines.categorized(Verdict.UNCHECKED).wireLength() + 1;
    private static final SampleVerdict GOOD = SampleVerdict.of(List.of(
            RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"),
            RuleResult.proceed("file_larger_than", Result.UNKNOWN, "File has more than 5 bytes"),
            RuleResult.stop("final_rule", Result.UNKNOWN, "File has not been classified")), 1);
    private static final SampleVerdict BAD = SampleVerdict.of(List.of(
            RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"),
            RuleResult.proceed("file_larger_than", Result.UNKNOWN, "File has more than 5 bytes"),
            RuleResult.stop("contains_peekabooyar", Result.BAD, "The file contains the PeekabooYar marker")), 1);
    private static final SampleVerdict UNCHECKED = new SampleVerdict(Result.UNCHECKED, "deadline",
            "Analysis is still running after 60 s; the result will be stored for the retry", List.of(), SampleVerdict.NO_JOB);

    private final ReplyBudget budget = new ReplyBudget(BUDGET);

    @Test
    void leavesAReportThatFitsAsItIs() {
        List<FileReport> files = List.of(file(1, BAD), file(2, GOOD), file(3, UNCHECKED));

        FittedReport fitted = budget.fit(files, 100);

        assertThat(fitted.shortening()).isEqualTo(Shortening.NONE);
        assertThat(fitted.lines()).containsExactlyElementsOf(allLines(files));
    }

    @Test
    void firstLeavesOutTheRuleLinesOfGoodFiles() {
        List<FileReport> files = new ArrayList<>(goodFiles(40));
        files.add(5, file(900, BAD));
        assertThat(wireLength(allLines(files))).as("too long in full").isGreaterThan(BUDGET);

        FittedReport fitted = budget.fit(files, 0);

        assertThat(fitted.shortening()).isEqualTo(Shortening.RULES_OF_GOOD_FILES);
        List<ResponseLine> expected = new ArrayList<>();
        files.forEach(file -> expected.addAll(file.verdict() == Verdict.GOOD ? file.withoutRules() : file.lines()));
        expected.add(ProtocolLines.rulesLeftOut(40, "good", BUDGET));
        assertThat(fitted.lines()).containsExactlyElementsOf(expected);
        assertFits(fitted, 0);
    }

    @Test
    void thenCountsGoodFilesInOneLineKeepingFullBlocksForTheOthers() {
        List<FileReport> files = new ArrayList<>(goodFiles(200));
        FileReport bad = file(900, BAD);
        FileReport unchecked = file(901, UNCHECKED);
        files.add(10, bad);
        files.add(150, unchecked);

        FittedReport fitted = budget.fit(files, 0);

        assertThat(fitted.shortening()).isEqualTo(Shortening.GOOD_FILES);
        List<ResponseLine> expected = new ArrayList<>(bad.lines());
        expected.addAll(unchecked.lines());
        expected.add(ProtocolLines.filesLeftOut(200, "good", BUDGET));
        assertThat(fitted.lines()).containsExactlyElementsOf(expected);
        assertFits(fitted, 0);
    }

    @Test
    void thenLeavesOutTheRuleLinesOfBadFilesToo() {
        List<FileReport> files = new ArrayList<>(goodFiles(10));
        List<FileReport> bad = IntStream.rangeClosed(501, 540).mapToObj(n -> file(n, BAD)).toList();
        files.addAll(bad);

        FittedReport fitted = budget.fit(files, 0);

        assertThat(fitted.shortening()).isEqualTo(Shortening.RULES_OF_ALL_FILES);
        List<ResponseLine> expected = new ArrayList<>();
        bad.forEach(file -> expected.addAll(file.withoutRules()));
        expected.add(ProtocolLines.filesLeftOut(10, "good", BUDGET));
        expected.add(ProtocolLines.rulesLeftOut(40, "bad or unchecked", BUDGET));
        assertThat(fitted.lines()).containsExactlyElementsOf(expected);
        assertFits(fitted, 0);
    }

    @Test
    void lastKeepsOnlyVerdictLinesPreferringBadFilesOverUncheckedOnes() {
        List<FileReport> files = new ArrayList<>();
        IntStream.rangeClosed(1, 100).forEach(n -> files.add(file(n, UNCHECKED)));
        IntStream.rangeClosed(101, 200).forEach(n -> files.add(file(n, BAD)));
        files.addAll(goodFiles(50));

        FittedReport fitted = budget.fit(files, 0);

        assertThat(fitted.shortening()).isEqualTo(Shortening.VERDICT_LINES_ONLY);
        List<ResponseLine> badVerdicts = files.subList(100, 200).stream().map(FileReport::verdictLine).toList();
        List<ResponseLine> uncheckedVerdicts = fitted.lines().stream()
                .filter(line -> line.text().contains("verdict \"unchecked\"")).toList();
        assertThat(uncheckedVerdicts).as("the room the bad ones left").isNotEmpty().hasSizeLessThan(100);
        List<ResponseLine> expected = new ArrayList<>(files.subList(0, uncheckedVerdicts.size()).stream()
                .map(FileReport::verdictLine).toList());
        expected.addAll(badVerdicts);
        expected.add(ProtocolLines.filesLeftOut(50, "good", BUDGET));
        expected.add(ProtocolLines.filesLeftOut(100 - uncheckedVerdicts.size(), "bad or unchecked", BUDGET));
        assertThat(fitted.lines()).as("in request order").containsExactlyElementsOf(expected);
        assertFits(fitted, 0);
    }

    @Test
    void countsWhatWasSentBeforeTheReport() {
        List<FileReport> files = goodFiles(20);
        long full = wireLength(allLines(files)) + FINAL_LINES;

        assertThat(budget.fit(files, BUDGET - full).shortening()).isEqualTo(Shortening.NONE);
        FittedReport fitted = budget.fit(files, BUDGET - full + 1);
        assertThat(fitted.shortening()).isEqualTo(Shortening.RULES_OF_GOOD_FILES);
        assertFits(fitted, BUDGET - full + 1);
    }

    @Test
    void aReportExactlyAtTheBudgetIsLeftAlone() {
        List<FileReport> files = goodFiles(3);
        long full = wireLength(allLines(files)) + FINAL_LINES;

        assertThat(new ReplyBudget((int) full).fit(files, 0).shortening()).isEqualTo(Shortening.NONE);
    }

    @ParameterizedTest(name = "{0} good, {1} bad, {2} unchecked")
    @CsvSource({"1000, 0, 0", "0, 1000, 0", "0, 0, 1000", "500, 300, 200", "150, 1, 0", "0, 40, 0"})
    void alwaysFitsAndNeverForgesTheFinalLine(int good, int bad, int unchecked) {
        List<FileReport> files = new ArrayList<>();
        IntStream.range(0, good).forEach(n -> files.add(file(n, GOOD)));
        IntStream.range(good, good + bad).forEach(n -> files.add(file(n, BAD)));
        IntStream.range(good + bad, good + bad + unchecked).forEach(n -> files.add(file(n, UNCHECKED)));

        FittedReport fitted = budget.fit(files, 200);

        assertFits(fitted, 200);
        assertThat(fitted.lines()).noneMatch(line -> line.text().contains("has been categorized"));
        if (bad > 0) {
            assertThat(fitted.lines()).anyMatch(line -> line.text().contains("verdict \"bad\""));
        }
    }

    private static void assertFits(FittedReport fitted, long alreadySent) {
        assertThat(alreadySent + wireLength(fitted.lines()) + FINAL_LINES).isLessThanOrEqualTo(BUDGET);
    }

    private static List<FileReport> goodFiles(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> file(n, GOOD)).toList();
    }

    private static FileReport file(int number, SampleVerdict verdict) {
        return ProtocolLines.fileReport("/var/lib/amavis/tmp/amavis-20240501T101010-12345-abc/parts/p" + number,
                verdict == UNCHECKED ? null : SHA, "attachment-" + number + ".txt", verdict);
    }

    private static List<ResponseLine> allLines(List<FileReport> files) {
        return files.stream().flatMap(file -> file.lines().stream()).toList();
    }

    private static long wireLength(List<ResponseLine> lines) {
        return lines.stream().mapToLong(ResponseLine::wireLength).sum();
    }
}
