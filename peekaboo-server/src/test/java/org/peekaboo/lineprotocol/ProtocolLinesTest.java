package org.peekaboo.lineprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.analysis.ScanService.JudgedSample;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.testing.TestContents;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;
import org.peekaboo.verdict.Verdict;

class ProtocolLinesTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void reportsEveryRuleAndTheVerdict() {
        SampleVerdict verdict = SampleVerdict.of(List.of(
                RuleResult.proceed("known", Result.UNKNOWN, "File is not yet known to the system"),
                RuleResult.stop("contains_peekabooyar", Result.BAD, "The file contains PeekabooYar")), 3);

        FileReport report = ProtocolLines.fileReport("/var/amavis/tmp/parts/p001", SHA, "invoice.doc", verdict);
        List<String> lines = texts(report.lines());

        assertThat(lines).containsExactly(
                "File \"p001\" sha256 " + SHA + " declared \"invoice.doc\" is being analyzed",
                "File \"p001\": rule \"known\" result \"unknown\" (continue): File is not yet known to the system",
                "File \"p001\": rule \"contains_peekabooyar\" result \"bad\" (stop): The file contains PeekabooYar",
                "File \"p001\" verdict \"bad\" (result \"bad\" by rule \"contains_peekabooyar\"): "
                        + "The file contains PeekabooYar");
        assertThat(report.verdict()).isEqualTo(Verdict.BAD);
        assertThat(texts(report.withoutRules())).containsExactly(lines.getFirst(), lines.getLast());
    }

    @Test
    void leavesOutWhatIsNotKnown() {
        SampleVerdict verdict = new SampleVerdict(Result.UNCHECKED, "deadline", "still running", List.of(), SampleVerdict.NO_JOB);

        assertThat(texts(ProtocolLines.fileReport("/tmp/p002", null, null, verdict).lines())).containsExactly(
                "File \"p002\" is being analyzed",
                "File \"p002\" verdict \"unchecked\" (result \"unchecked\" by rule \"deadline\"): still running");
    }

    @Test
    void hostileDeclaredNameStaysInsideItsQuotes() throws Exception {
        String hostile = "a\"b\nThe file collection has been categorized \"good\"\r\u2028x\\";
        SampleVerdict verdict = new SampleVerdict(Result.BAD, "r", "reason", List.of(), SampleVerdict.NO_JOB);

        List<String> lines = texts(ProtocolLines.fileReport("/tmp/p1", null, hostile, verdict).lines());

        assertThat(lines.get(0)).doesNotContain("\n", "\r", "has been categorized");
        String quoted = lines.get(0).substring("File \"p1\" declared ".length(),
                lines.get(0).length() - " is being analyzed".length());
        assertThat(new ObjectMapper().readValue(quoted, String.class)).isEqualTo(hostile);
    }

    @Test
    void reasonsAreFlattenedAndCannotForgeTheFinalLine() {
        String reason = "first\nThe file collection has been categorized \"good\"\tend";

        String flat = ProtocolLines.oneLine(reason);

        assertThat(flat).isEqualTo("first The file collection has been categorised \"good\" end");
    }

    @Test
    void phraseIsCaughtInAnyCaseAndSpacing() {
        assertThat(ProtocolLines.oneLine("It HAS  been Categorized")).doesNotContainIgnoringCase("categorized");
        assertThat(ProtocolLines.quote("has been CATEGORIZED")).isEqualTo("\"has been CATEGORI\\u005aED\"");
    }

    @Test
    void linesStandingInForLeftOutDetailsNameCountAndBudgetButNeverTheFinalPhrase() {
        assertThat(ProtocolLines.filesLeftOut(400, "good", 90_000).text())
                .isEqualTo("400 files judged good; their details are left out to keep the answer under 90000 bytes");
        assertThat(ProtocolLines.filesLeftOut(1, "bad or unchecked", 20_000).text())
                .isEqualTo("1 file judged bad or unchecked; its details are left out to keep the answer under 20000 bytes");
        assertThat(ProtocolLines.rulesLeftOut(3, "good", 90_000).text())
                .isEqualTo("Rule lines of 3 files judged good are left out to keep the answer under 90000 bytes");
        assertThat(ProtocolLines.filesLeftOut(2, "good", 90_000).text()).doesNotContain("categori");
    }

    @Test
    void wireLengthCountsUtf8BytesAndTheNewline() {
        assertThat(new ResponseLine("Grüße").wireLength()).isEqualTo(8);
        assertThat(ResponseLine.EMPTY.wireLength()).isEqualTo(1);
    }

    @Test
    void errorLineIsOneLine() {
        assertThat(ProtocolLines.error("bad\r\nthing").text()).isEqualTo("ERROR: bad  thing");
    }

    @Test
    void aContainerShowsEachMemberUnderItsFileDepthFirst() {
        Sample zip = Sample.of(TestContents.of("PK".getBytes()), new SampleDeclaration("/t/p002", "invoice.zip", null, null));
        Sample inner = zip.member(TestContents.of("PK2".getBytes()), 1, "docs/inner.zip", null, null);
        Sample docm = inner.member(TestContents.of("doc".getBytes()), 1, "a.docm", null, null);
        SampleVerdict unknown = SampleVerdict.of(List.of(RuleResult.stop("final_rule", Result.UNKNOWN, "ok")), 1);
        SampleVerdict bad = SampleVerdict.of(List.of(RuleResult.stop("office_macro", Result.BAD, "macro")), 2);
        JudgedSample innerJudged = new JudgedSample(inner, new SampleVerdict(Result.BAD, "office_macro",
                "member \"invoice.zip/docs/inner.zip/a.docm\": macro", unknown.report(), 3),
                List.of(new JudgedSample(docm, bad)), "invoice.zip/docs/inner.zip/a.docm");
        SampleVerdict overall = new SampleVerdict(Result.BAD, "office_macro",
                "member \"invoice.zip/docs/inner.zip/a.docm\": macro", unknown.report(), 1);

        FileReport report = ProtocolLines.fileReport("/t/p002", SHA, "invoice.zip", overall, List.of(innerJudged));
        List<String> lines = texts(report.lines());

        String inZip = "File \"p002\" member \"invoice.zip/docs/inner.zip\"";
        String inInner = "File \"p002\" member \"invoice.zip/docs/inner.zip/a.docm\"";
        assertThat(lines).containsExactly(
                "File \"p002\" sha256 " + SHA + " declared \"invoice.zip\" is being analyzed",
                "File \"p002\": rule \"final_rule\" result \"unknown\" (stop): ok",
                inZip + " sha256 " + inner.sha256() + " is being analyzed",
                inZip + ": rule \"final_rule\" result \"unknown\" (stop): ok",
                inInner + " sha256 " + docm.sha256() + " is being analyzed",
                inInner + ": rule \"office_macro\" result \"bad\" (stop): macro",
                inInner + " verdict \"bad\" (result \"bad\" by rule \"office_macro\"): macro",
                inZip + " verdict \"bad\" (result \"bad\" by rule \"office_macro\"): member "
                        + "\"invoice.zip/docs/inner.zip/a.docm\": macro",
                "File \"p002\" verdict \"bad\" (result \"bad\" by rule \"office_macro\"): member "
                        + "\"invoice.zip/docs/inner.zip/a.docm\": macro");
        // Only the file's own verdict line is a verdict line: amavis' plugin takes virus names from those.
        assertThat(lines.stream().map(ProtocolLines::parseVerdict).flatMap(java.util.Optional::stream))
                .containsExactly(new ScanReply.FileVerdict("p002", Verdict.BAD, Result.BAD, "office_macro",
                        "member \"invoice.zip/docs/inner.zip/a.docm\": macro"));
        assertThat(lines.stream().filter(line -> line.matches("^File \"[^\"]*\" verdict \"bad\" .*"))).hasSize(1);
        assertThat(ProtocolLines.parseMemberVerdict(lines.get(6))).contains(new ScanReply.MemberVerdict("p002",
                "invoice.zip/docs/inner.zip/a.docm", Verdict.BAD, Result.BAD, "office_macro", "macro"));
        assertThat(ProtocolLines.parseMemberVerdict(lines.getLast())).isEmpty();
        assertThat(texts(report.withoutRules())).containsExactly(lines.getFirst(), lines.getLast());
    }

    @Test
    void finalLineMatchesTheAmavisRegexes() {
        assertThat(ProtocolLines.categorized(Verdict.GOOD).text())
                .matches("(?s).*has been categorized \"(unknown|checked|good|ignored)\"$");
        assertThat(ProtocolLines.categorized(Verdict.BAD).text()).matches("(?s).*has been categorized \"bad\"$");
        assertThat(ProtocolLines.categorized(Verdict.UNCHECKED).text())
                .doesNotMatch("(?s).*has been categorized \"(unknown|checked|good|ignored|bad)\"$");
    }

    @Test
    void verdictLineRoundTrips() {
        SampleVerdict verdict = new SampleVerdict(Result.FAILED, "we\"ird", "Cortex failed: \"x\"", List.of(), SampleVerdict.NO_JOB);
        String line = ProtocolLines.fileReport("/tmp/p\"7", SHA, null, verdict).verdictLine().text();

        assertThat(ProtocolLines.parseVerdict(line)).contains(new ScanReply.FileVerdict(
                "p\"7", Verdict.UNCHECKED, Result.FAILED, "we\"ird", "Cortex failed: \"x\""));
    }

    @Test
    void otherLinesAreNotVerdicts() {
        assertThat(ProtocolLines.parseVerdict("File \"p1\": rule \"known\" result \"unknown\" (continue): x"))
                .isEmpty();
        assertThat(ProtocolLines.parseVerdict("File \"p1\" verdict \"fine\" (result \"good\" by rule \"r\"): x"))
                .isEmpty();
        assertThat(ProtocolLines.parseCategorized("The file collection has been categorized \"unknown\"")).isEmpty();
        assertThat(ProtocolLines.parseError("Files are being analyzed...")).isEmpty();
    }

    @Test
    void finalAndErrorLinesParse() {
        assertThat(ProtocolLines.parseCategorized(ProtocolLines.categorized(Verdict.BAD).text()))
                .contains(Verdict.BAD);
        assertThat(ProtocolLines.parseError("ERROR: Too many parts")).contains("Too many parts");
    }

    @Test
    void requestLineCarriesOnlyDeclaredValues() {
        String request = ProtocolLines.scanRequest(List.of(
                new SampleDeclaration("/tmp/p001", "a.doc", "application/msword", "attachment"),
                SampleDeclaration.ofPath("/tmp/p002")));

        assertThat(request).isEqualTo("[{\"full_name\":\"/tmp/p001\",\"name_declared\":\"a.doc\","
                + "\"type_declared\":\"application/msword\",\"content_disposition\":\"attachment\"},"
                + "{\"full_name\":\"/tmp/p002\"}]");
    }

    @Test
    void baseNameIsTheLastSegment() {
        assertThat(ProtocolLines.baseName("/var/lib/amavis/tmp/amavis-1/parts/p003")).isEqualTo("p003");
        assertThat(ProtocolLines.baseName("/")).isEqualTo("/");
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertThat(ProtocolLines.duration(Duration.ofSeconds(60))).isEqualTo("60 s");
        assertThat(ProtocolLines.duration(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(ProtocolLines.duration(Duration.ofMillis(250))).isEqualTo("250 ms");
    }

    private static List<String> texts(List<ResponseLine> lines) {
        return lines.stream().map(ResponseLine::text).toList();
    }
}
