package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.bench.DropperFiles;
import org.peekaboo.bench.DropperPdfs;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.ruleset.KnownResults.StoredResult;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.ruleset.testing.TestSamples;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;
import org.peekaboo.verdict.SampleVerdict;

class DefaultRulesetTest {
    private static final TikaFileTypeDetector DETECTOR = new TikaFileTypeDetector();

    private final FakeKnownResults known = new FakeKnownResults();
    private final Ruleset ruleset = DefaultRuleset.create(known, DETECTOR, OfficeReports.source());

    @TempDir
    Path dir;

    @Test
    void runsTheBuiltInRulesInOrder() {
        assertThat(ruleset.rules()).extracting(Rule::name).containsExactly(
                "known", "contains_peekabooyar", "office_macro_dropper", "script_attachment", "windows_shortcut",
                "disk_image", "rar_archive", "html_smuggling", "pdf_dropper", "rtf_dropper", "file_larger_than",
                "file_type_on_whitelist", "file_type_on_greylist", "final_rule");
        assertThat(DefaultRuleset.RULE_NAMES).isEqualTo(ruleset.rules().stream().map(Rule::name).toList());
        assertThat(ruleset.rules()).contains(new FileLargerThanRule(5));
    }

    @Test
    void whitelistsPeekabooAvsEightTypes() {
        assertThat(DefaultRuleset.WHITELIST).containsExactly(
                "text/plain", "message/rfc822", "inode/x-empty", "application/pkcs7-signature",
                "application/x-pkcs7-signature", "application/pkcs7-mime", "application/x-pkcs7-mime", "text/html");
    }

    @Test
    void greylistCoversTheKindsOfFileWorthAnalysing() {
        assertThat(DefaultRuleset.GREYLIST).contains(
                "application/octet-stream", "application/msword", "application/vnd.ms-excel",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "application/vnd.ms-word.document.macroenabled.12", "application/vnd.oasis.opendocument.text",
                "application/pdf", "application/javascript", "application/zip", "application/x-7z-compressed",
                "application/x-rar", "application/x-dosexec", "application/x-ms-dos-executable",
                "application/x-msdos-program", "application/x-vbscript", "application/x-bat", "application/x-sh",
                "text/x-python", "application/x-python-code", "image/png", "image/jpeg",
                "application/x-silverlight-app");
        // Every Office type that can hold macros, and SYLK, whose macros Excel runs too.
        assertThat(DefaultRuleset.GREYLIST).contains("application/vnd.ms-excel.sheet.binary.macroenabled.12",
                "application/vnd.ms-excel.addin.macroenabled.12", "application/vnd.ms-excel.template.macroenabled.12",
                "application/vnd.ms-word.template.macroenabled.12",
                "application/vnd.ms-powerpoint.template.macroenabled.12",
                "application/vnd.ms-powerpoint.slideshow.macroenabled.12",
                "application/vnd.ms-powerpoint.addin.macroenabled.12",
                "application/vnd.ms-powerpoint.slide.macroenabled.12", "text/spreadsheet");
        assertThat(DefaultRuleset.GREYLIST).allMatch(type -> type.equals(type.toLowerCase(Locale.ROOT)));
        assertThat(DefaultRuleset.GREYLIST).doesNotContainAnyElementsOf(DefaultRuleset.WHITELIST);
    }

    @Test
    void greylistKnowsWhatTikaCallsExecutablesScriptsAndOfficeContainers() throws Exception {
        Sample executable = samples().sample(new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0}, "x", null);
        Sample script = samples().sample("WScript.Echo \"hello\"\r\n", "hello.vbs", null);
        Sample disguisedWordFile = TestSamples.of(
                Path.of(getClass().getResource("/org/peekaboo/sample/blank.doc").toURI()), "harmless.txt", null);

        assertThat(ruleset.run(executable, 1).report()).extracting(RuleResult::rule).endsWith("final_rule");
        // The built-in ruleset stops a .vbs at script_attachment; the greylist must still know it for custom rulesets.
        assertThat(new FileTypeOnGreylistRule(DefaultRuleset.GREYLIST).evaluate(TestSamples.context(script, DETECTOR))
                .furtherAnalysis()).isTrue();
        assertThat(ruleset.run(disguisedWordFile, 3).report()).extracting(RuleResult::rule).endsWith("final_rule");
    }

    @Test
    void aPlainTextFileIsIgnoredAsWhitelisted() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample("Dear colleague,\nsee you soon.\n", "note.txt",
                "text/plain"), 1);

        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
        assertThat(verdict.rule()).isEqualTo("file_type_on_whitelist");
    }

    @Test
    void theTestMarkerIsFoundEvenInAWhitelistedTextFile() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample(ContainsPeekabooYarRule.MARKER + "\n", "marker.txt",
                "text/plain"), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("contains_peekabooyar");
        assertThat(verdict.reason()).isEqualTo("The file contains the PeekabooYar test marker");
    }

    @Test
    void aTinyFileIsIgnored() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample("MZ", "x.exe", "application/x-dosexec"), 1);

        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
        assertThat(verdict.rule()).isEqualTo("file_larger_than");
    }

    @Test
    void aGreylistedFileRunsToTheFinalRule() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n", "invoice.pdf",
                "application/pdf"), 1);

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("final_rule");
        assertThat(verdict.report()).hasSize(14);
    }

    @Test
    void aPdfDropperIsBadBeforeTheGreylistSeesIt() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample(DropperPdfs.launch("cmd.exe", "/c calc"), "invoice.pdf",
                "application/pdf"), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("pdf_dropper");
    }

    @Test
    void aMacroDropperIsBadWhateverItsDeclaredType() throws IOException {
        byte[] dropper = OfficeFiles.docm(OfficeFiles.module("ThisDocument", "Private Sub Document_Open()",
                "  CreateObject(\"WScript.Shell\").Run \"cmd /c start a.exe\", 0", "End Sub"));

        SampleVerdict verdict = ruleset.run(samples().sample(dropper, "notes.txt", "text/plain"), 1);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("office_macro_dropper");
        assertThat(verdict.reason()).isEqualTo("The file contains an Office macro that runs by itself (Document_Open)"
                + " and runs programs (WScript.Shell, cmd)");
    }

    @Test
    void benignMacrosAndEmptyProjectsRunToTheFinalRule() throws IOException {
        byte[] benign = OfficeFiles.xlsm(OfficeFiles.module("ThisWorkbook", "Private Sub Workbook_Open()",
                "  Application.StatusBar = \"Budget \" & Year(Date)", "End Sub"));
        byte[] empty = OfficeFiles.xls(OfficeFiles.module("Sheet1", "Option Explicit"), false, false);

        for (byte[] document : List.of(benign, empty)) {
            SampleVerdict verdict = ruleset.run(samples().sample(document, "budget.xlsm",
                    "application/vnd.ms-excel.sheet.macroenabled.12"), 1);

            assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
            assertThat(verdict.rule()).isEqualTo("final_rule");
        }
    }

    @Test
    void aFileTypeOffBothListsStopsWithUnknown() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "meeting.ics",
                "text/calendar"), 1);

        assertThat(verdict.result()).isEqualTo(Result.UNKNOWN);
        assertThat(verdict.rule()).isEqualTo("file_type_on_greylist");
        assertThat(verdict.reason()).startsWith("File type is not on the list of types to analyse (");
    }

    @Test
    void aKnownSampleIsAnsweredFromTheCache() throws IOException {
        Sample sample = samples().sample("%PDF-1.4 seen before", "invoice.pdf", "application/pdf");
        known.add(sample.identity(), new StoredResult(3, Result.BAD, "bad last time", Instant.EPOCH));

        SampleVerdict verdict = ruleset.run(sample, 4);

        assertThat(verdict.result()).isEqualTo(Result.BAD);
        assertThat(verdict.rule()).isEqualTo("known");
        assertThat(verdict.report()).hasSize(1);
    }

    @Test
    void scriptsShortcutsAndSmugglingPagesAreBadBeforeTheWhitelistSeesThem() throws IOException {
        SampleVerdict page = ruleset.run(samples().sample(DropperFiles.dataUrlSmuggling(), "scan.html", "text/html"), 1);
        SampleVerdict script = ruleset.run(samples().sample("WScript.Echo 1\r\n", "invoice.vbs", "text/plain"), 2);
        SampleVerdict shortcut = ruleset.run(samples().sample(DropperFiles.shortcut("cmd.exe", "/c calc"),
                "invoice.pdf.lnk", null), 3);

        assertThat(List.of(page, script, shortcut)).extracting(SampleVerdict::result).containsOnly(Result.BAD);
        assertThat(List.of(page, script, shortcut)).extracting(SampleVerdict::rule)
                .containsExactly("html_smuggling", "script_attachment", "windows_shortcut");
    }

    @Test
    void anOrdinaryHtmlPageIsStillWhitelisted() throws IOException {
        SampleVerdict verdict = ruleset.run(samples().sample("<html><body><p>Agenda</p><script>show();</script>"
                + "</body></html>", "agenda.html", "text/html"), 1);

        assertThat(verdict.result()).isEqualTo(Result.IGNORED);
        assertThat(verdict.rule()).isEqualTo("file_type_on_whitelist");
    }

    private TestSamples samples() {
        return new TestSamples(dir);
    }
}
