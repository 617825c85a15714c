package org.peekaboo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.ruleset.OfficeMacroDropperRule;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

class DropperPowerPointTest {
    private final OfficeMacroDropperRule rule = new OfficeMacroDropperRule(OleReportSource.withDefaultLimits());

    @TempDir
    Path dir;

    @Test
    void everyPowerPointDropperIsBadThroughTheOfficeMacroDropperRule() throws Exception {
        Map<String, RuleResult> results = evaluate(DropperPowerPoint.malicious());

        assertThat(results).hasSize(9);
        assertThat(results.values()).allSatisfy(result -> assertThat(result.result()).isEqualTo(Result.BAD));
        assertThat(results.get("pp01-slideshow-pagechange-shell.pps").reason()).isEqualTo(
                "The file contains an Office macro that runs by itself (OnSlideShowPageChange) and runs programs"
                        + " (Shell, cmd)");
        assertThat(results.get("pp02-slideshow-terminate-wscript-run-uncompressed.pps").reason())
                .contains("runs by itself (OnSlideShowTerminate)", "WScript.Shell");
        assertThat(results.get("pp03-addin-auto-open-xmlhttp-adodb-no-vbainfo.ppt").reason())
                .contains("runs by itself (Auto_Open)", "downloads (MSXML2.XMLHTTP");
        assertThat(results.get("pp04-inkpicture-painted-urldownloadtofile.ppt").reason())
                .contains("runs by itself (InkPicture1_Painted)", "URLDownloadToFile");
        assertThat(results.get("pp08-embedded-doc-document-open.ppt").reason())
                .contains("runs by itself (Document_Open)");
        assertThat(results.get("pp09-enc-default-password-slideshow-pagechange.pps").reason())
                .contains("runs by itself (OnSlideShowPageChange)", "WScript.Shell");
    }

    @Test
    void harmlessPresentationMacrosGoOn() throws Exception {
        Map<String, RuleResult> results = evaluate(DropperPowerPoint.benign());

        assertThat(results).hasSize(3);
        assertThat(results.values()).allSatisfy(result -> assertThat(result.result()).isEqualTo(Result.UNKNOWN));
        assertThat(results.get("pp-empty-project.ppt").reason())
                .isEqualTo("The file contains no VBA macro code and no Excel 4 formulas");
        assertThat(results.get("pp-number-slides.ppt").reason())
                .isEqualTo("The file's Office macros do not run by themselves");
        assertThat(results.get("pp-slideshow-counter.pps").reason())
                .isEqualTo("The file's Office macros run by themselves but show no sign of a dropper");
    }

    @Test
    void aTruncatedPresentationIsNotPassedForLackOfEvidence() throws Exception {
        byte[] dropper = DropperPowerPoint.malicious().getFirst().bytes();
        // Cut inside the PowerPoint Document stream: POI or the record walker must notice.
        byte[] cut = java.util.Arrays.copyOf(dropper, dropper.length / 2);

        RuleResult result = rule.evaluate(context(cut, "cut.pps"));

        assertThat(result.result()).isNotEqualTo(Result.UNKNOWN);
        assertThat(result.reason()).startsWith("The document cannot be analysed");
    }

    private Map<String, RuleResult> evaluate(java.util.List<DropperCorpus.Sample> samples) throws Exception {
        Map<String, RuleResult> results = new TreeMap<>();
        for (DropperCorpus.Sample sample : samples) {
            results.put(sample.name(), rule.evaluate(context(sample.bytes(), sample.name())));
        }
        return results;
    }

    private org.peekaboo.ruleset.SampleContext context(byte[] content, String name) throws Exception {
        return TestSamples.context(new TestSamples(dir).sample(content, name, null),
                FakeFileTypeDetector.nothingDetected());
    }
}
