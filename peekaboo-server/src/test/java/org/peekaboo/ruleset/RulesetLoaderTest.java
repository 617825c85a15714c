package org.peekaboo.ruleset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ConfigException;
import org.peekaboo.config.IniDocument;
import org.peekaboo.office.testing.OfficeReports;
import org.peekaboo.ruleset.testing.FakeFileTypeDetector;
import org.peekaboo.ruleset.testing.FakeKnownResults;
import org.peekaboo.verdict.Result;

/** Building rulesets from ruleset files, and every way such a file can be wrong. */
class RulesetLoaderTest {
    private static final Path FILE = Path.of("/etc/peekaboo/ruleset.conf");

    private final FakeKnownResults known = new FakeKnownResults();
    private final RulesetLoader loader = OfficeReports.loader(known, FakeFileTypeDetector.nothingDetected());

    @TempDir
    Path dir;

    @Test
    void enablesTheListedRulesInFileOrder() {
        LoadedRuleset loaded = load("""
                [rules]
                rule.1 : final_rule
                rule.0 : known
                rule.x : file_larger_than
                """);

        assertThat(loaded.ruleset().rules()).containsExactly(
                new FinalRule(), new KnownRule(known), new FileLargerThanRule(5));
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void readsEachRulesOptions() {
        LoadedRuleset loaded = load("""
                [rules]
                rule.1 : file_larger_than
                rule.2 : file_type_on_whitelist
                rule.3 : file_type_on_greylist
                rule.4 : contains_peekabooyar

                [file_larger_than]
                bytes = 1K

                [file_type_on_whitelist]
                whitelist.1 : text/plain
                whitelist.2 : Inode/X-Empty

                [file_type_on_greylist]
                greylist.a : application/pdf
                """);

        assertThat(loaded.ruleset().rules()).containsExactly(
                new FileLargerThanRule(1024),
                new FileTypeOnWhitelistRule(Set.of("text/plain", "inode/x-empty")),
                new FileTypeOnGreylistRule(Set.of("application/pdf")),
                new ContainsPeekabooYarRule());
    }

    @Test
    void aDisabledRulesSectionMayBePresentAndNeedsNoRequiredLists() {
        LoadedRuleset loaded = load("""
                [rules]
                rule.1 : final_rule

                [file_type_on_whitelist]
                [cuckoo_score]
                higher_than : 7.5
                [expressions]
                """);

        assertThat(loaded.ruleset().rules()).containsExactly(new FinalRule());
    }

    @Test
    void officeMacroRulesAreBuiltWithTheirKeywords() {
        LoadedRuleset loaded = load("""
                [rules]
                rule.1 : office_macro_with_suspicious_keyword
                rule.2 : office_macro
                [office_macro_with_suspicious_keyword]
                keyword.1 : AutoOpen
                keyword.2 : Document_(Open|Close)
                """);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.ruleset().rules()).extracting(Rule::name)
                .containsExactly("office_macro_with_suspicious_keyword", "office_macro");
        assertThat(((OfficeMacroWithSuspiciousKeywordRule) loaded.ruleset().rules().getFirst()).keywords())
                .containsExactly("AutoOpen", "Document_(Open|Close)");
        assertThat(loaded.ruleset().rules().get(1)).isInstanceOf(OfficeMacroRule.class);
    }

    @Test
    void theSuspiciousKeywordRuleNeedsKeywordsWhileEnabled() {
        assertFails("""
                [rules]
                rule.1 : office_macro_with_suspicious_keyword
                """, "/etc/peekaboo/ruleset.conf:2: [office_macro_with_suspicious_keyword] keyword: needs at least one"
                + " item because the rule is enabled");
        assertFails("""
                [rules]
                rule.1 : office_macro
                [office_macro]
                keyword.1 : AutoOpen
                """, "/etc/peekaboo/ruleset.conf:4: [office_macro] keyword: Unknown option");
    }

    @Test
    void theBuiltInRulesetIsTheDefaultRuleset() {
        LoadedRuleset builtIn = loader.builtIn();

        assertThat(builtIn.ruleset().rules()).isEqualTo(DefaultRuleset.rules(known,
                new MacroReportSource(OfficeReports.source())));
        assertThat(builtIn.warnings()).isEmpty();
    }

    @Test
    void readsDropFilesThatResetTheRuleList() throws IOException {
        Path main = Files.writeString(dir.resolve("ruleset.conf"), """
                [rules]
                rule.1 : known
                rule.2 : final_rule
                """);
        Files.createDirectory(dir.resolve("ruleset.conf.d"));
        Files.writeString(dir.resolve("ruleset.conf.d/10-local.conf"), """
                [rules]
                rule.- : -
                rule.1 : contains_peekabooyar
                rule.2 : final_rule
                """);

        LoadedRuleset loaded = loader.load(main);

        assertThat(loaded.ruleset().rules()).containsExactly(new ContainsPeekabooYarRule(), new FinalRule());
    }

    @Test
    void aRulesetWithoutRulesIsRefused() {
        assertFails("""
                [rules]
                """, "/etc/peekaboo/ruleset.conf:1: [rules] No enabled rules found");
        assertFails("""
                [final_rule]
                """, "/etc/peekaboo/ruleset.conf: [rules] No enabled rules found");
    }

    @Test
    void aDropFileEmptyingTheRuleListIsRefused() throws IOException {
        Path main = Files.writeString(dir.resolve("ruleset.conf"), """
                [rules]
                rule.1 : final_rule
                """);
        Files.createDirectory(dir.resolve("ruleset.conf.d"));
        Files.writeString(dir.resolve("ruleset.conf.d/10-off.conf"), """
                [rules]
                rule.- : -
                """);

        assertThatThrownBy(() -> loader.load(main))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("No enabled rules found");
    }

    @Test
    void anUnknownRuleIsNamedWithItsLine() {
        assertFails("""
                [rules]
                rule.1 : known
                rule.2 : office_macros
                """, "/etc/peekaboo/ruleset.conf:3: [rules] rule.2: Unknown rule \"office_macros\"; known rules: known,");
    }

    @Test
    void aRuleEnabledTwiceIsRefused() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                rule.2 : final_rule
                """, "/etc/peekaboo/ruleset.conf:3: [rules] rule.2: Rule final_rule is enabled twice (first as rule.1 at "
                + "/etc/peekaboo/ruleset.conf:2)");
    }

    @Test
    void anUnknownSectionIsNamedWithItsLine() {
        assertFails("""
                [rules]
                rule.1 : final_rule

                [filetype_on_whitelist]
                whitelist.1 : text/plain
                """, "/etc/peekaboo/ruleset.conf:4: Unknown section [filetype_on_whitelist]");
    }

    @Test
    void anUnknownOptionIsNamedWithItsLine() {
        assertFails("""
                [rules]
                rule.1 : file_larger_than

                [file_larger_than]
                byte : 10
                """, "/etc/peekaboo/ruleset.conf:5: [file_larger_than] byte: Unknown option; known options: bytes");
        assertFails("""
                [rules]
                rule.1 : final_rule
                rules.2 : known
                """, "/etc/peekaboo/ruleset.conf:3: [rules] rules: Unknown option");
        assertFails("""
                [rules]
                rule.1 : final_rule
                [known]
                cache_days : 14
                """, "/etc/peekaboo/ruleset.conf:4: [known] cache_days: Unknown option; known options: none");
    }

    @Test
    void aWrongTypeIsNamedWithItsLine() {
        assertFails("""
                [rules]
                rule.1 : file_larger_than
                [file_larger_than]
                bytes : five
                """, "/etc/peekaboo/ruleset.conf:4: [file_larger_than] bytes: \"five\" is not a size");
        assertFails("""
                [rules]
                rule.1 : file_larger_than
                [file_larger_than]
                bytes : -1
                """, "/etc/peekaboo/ruleset.conf:4: [file_larger_than] bytes: \"-1\" is not a size");
    }

    @Test
    void aDisabledRulesOptionsAreCheckedToo() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                [cuckoo_score]
                higher_than : high
                """, "/etc/peekaboo/ruleset.conf:4: [cuckoo_score] higher_than: \"high\" is not a number");
    }

    @Test
    void anEnabledListRuleNeedsItsList() {
        assertFails("""
                [rules]
                rule.1 : file_type_on_whitelist
                """, "/etc/peekaboo/ruleset.conf:2: [file_type_on_whitelist] whitelist: needs at least one item because"
                + " the rule is enabled (rule.1 at /etc/peekaboo/ruleset.conf:2); write e.g. whitelist.1: text/plain");
        assertFails("""
                [rules]
                rule.1 : file_type_on_greylist
                [file_type_on_greylist]
                """, "/etc/peekaboo/ruleset.conf:3: [file_type_on_greylist] greylist: needs at least one item");
    }

    @Test
    void aMisspeltListIsReportedAsUnknownRatherThanMissing() {
        assertFails("""
                [rules]
                rule.1 : file_type_on_whitelist
                [file_type_on_whitelist]
                whitelists.1 : text/plain
                """, "/etc/peekaboo/ruleset.conf:4: [file_type_on_whitelist] whitelists: Unknown option; known options:"
                + " whitelist");
    }

    @Test
    void aListGivenAsSingleValueIsRefused() {
        assertFails("""
                [rules]
                rule.1 : file_type_on_whitelist
                [file_type_on_whitelist]
                whitelist : text/plain
                """, "/etc/peekaboo/ruleset.conf:4: [file_type_on_whitelist] whitelist: is supposed to be a list");
    }

    @Test
    void anEmptyListItemIsRefused() {
        assertFails("""
                [rules]
                rule.1 : file_type_on_greylist
                [file_type_on_greylist]
                greylist.1 : application/pdf
                greylist.2 :
                """, "/etc/peekaboo/ruleset.conf:5: [file_type_on_greylist] greylist.2: is empty");
    }

    @Test
    void expressionsNeedAnImplication() {
        assertFails("""
                [rules]
                rule.1 : expressions
                [expressions]
                expression.1 : sample.file_size < 10 -> ignore
                expression.2 : sample.file_size > 10
                """, "/etc/peekaboo/ruleset.conf:5: [expressions] expression.2: column 22: Malformed expression, missing"
                + " implication");
    }

    @Test
    void expressionLogLevelIsALogLevel() {
        assertFails("""
                [rules]
                rule.1 : final_rule
                [expressions]
                log_level : LOUD
                """, "/etc/peekaboo/ruleset.conf:4: [expressions] log_level: \"LOUD\" is not a log level");
    }

    @Test
    void regularExpressionsMustCompile() {
        assertFails("""
                [rules]
                rule.1 : cuckoo_evil_sig
                [cuckoo_evil_sig]
                signature.1 : Ransom(ware
                """, "/etc/peekaboo/ruleset.conf:4: [cuckoo_evil_sig] signature.1: \"Ransom(ware\" is not a valid regular"
                + " expression");
        assertFails("""
                [rules]
                rule.1 : final_rule
                [office_macro_with_suspicious_keyword]
                keyword.1 : [AutoOpen
                """, "/etc/peekaboo/ruleset.conf:4: [office_macro_with_suspicious_keyword] keyword.1: \"[AutoOpen\" is"
                + " not a valid regular expression");
    }

    @Test
    void diskImageTakesItsUnreadableResult() {
        assertThat(load("""
                [rules]
                rule.1 : disk_image
                [disk_image]
                unreadable_result : failed
                """).ruleset().rules()).containsExactly(new DiskImageRule(Result.FAILED));
        assertThat(load("[rules]\nrule.1 : disk_image\n").ruleset().rules()).containsExactly(new DiskImageRule());
        assertFails("""
                [rules]
                rule.1 : disk_image
                [disk_image]
                unreadable_result : unchecked
                """, "/etc/peekaboo/ruleset.conf:4: [disk_image] unreadable_result: \"unchecked\" is not a result");
    }

    @Test
    void knowsEveryPeekabooAvRule() {
        assertThat(RulesetLoader.KNOWN_RULES).containsExactlyInAnyOrder("known", "file_larger_than", "expressions",
                "file_type_on_whitelist", "file_type_on_greylist", "cuckoo_evil_sig", "cuckoo_score", "office_macro",
                "office_macro_with_suspicious_keyword", "requests_evil_domain", "cuckoo_analysis_failed",
                "contains_peekabooyar", "final_rule", "office_macro_dropper", "script_attachment", "windows_shortcut",
                "html_smuggling", "pdf_dropper", "rtf_dropper", "disk_image", "rar_archive");
    }

    private LoadedRuleset load(String text) {
        return loader.load(IniDocument.parse(FILE, text));
    }

    private void assertFails(String text, String messageStart) {
        assertThatThrownBy(() -> load(text))
                .isInstanceOf(ConfigException.class)
                .message().startsWith(messageStart);
    }
}
