package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IniDocumentTest {
    private static final Path NAME = Path.of("/etc/peekaboo/test.conf");

    private static IniDocument parse(String text) {
        return IniDocument.parse(NAME, text);
    }

    private static String value(IniDocument doc, String section, String key) {
        return doc.section(section).orElseThrow().value(key).orElseThrow().value();
    }

    private static List<String> items(IniDocument doc, String section, String key) {
        return doc.section(section).orElseThrow().list(key).orElseThrow().stream().map(IniValue::value).toList();
    }

    @Nested
    class Syntax {
        @Test
        void readsBothDelimitersAndTrimsKeysAndValues() {
            IniDocument doc = parse("""
                    [global]
                    worker_count: 5
                    queue_size =   7\s\s
                      \t
                    empty:
                    url = mysql://h:3306/db?x=1
                    """);

            assertThat(value(doc, "global", "worker_count")).isEqualTo("5");
            assertThat(value(doc, "global", "queue_size")).isEqualTo("7");
            assertThat(value(doc, "global", "empty")).isEmpty();
            // Only the first delimiter separates key and value.
            assertThat(value(doc, "global", "url")).isEqualTo("mysql://h:3306/db?x=1");
        }

        @Test
        void keysAreCaseInsensitiveButSectionsAreNot() {
            IniDocument doc = parse("[Global]\nWorker_Count: 5\n");

            assertThat(doc.section("Global").orElseThrow().keys()).containsExactly("worker_count");
            assertThat(value(doc, "Global", "WORKER_COUNT")).isEqualTo("5");
            assertThat(doc.section("global")).isEmpty();
        }

        @Test
        void skipsFullLineCommentsEvenIndentedAndKeepsInlineHashes() {
            IniDocument doc = parse("""
                    # comment
                    ; other comment
                    [a]
                      # indented comment
                    key: value # not a comment
                    """);

            assertThat(doc.section("a").orElseThrow().keys()).containsExactly("key");
            assertThat(value(doc, "a", "key")).isEqualTo("value # not a comment");
        }

        @Test
        void joinsIndentedContinuationLines() {
            IniDocument doc = parse("""
                    [expressions]
                    expression.1: sample.file_ext == 'exe'
                        -> bad
                    # a comment does not end the value
                    \tand more

                        after a blank line
                    next: x
                    """);

            assertThat(items(doc, "expressions", "expression"))
                    .containsExactly("sample.file_ext == 'exe'\n-> bad\nand more\n\nafter a blank line");
            assertThat(value(doc, "expressions", "next")).isEqualTo("x");
        }

        @Test
        void valueMayStartOnTheContinuationLine() {
            IniDocument doc = parse("[a]\nkey:\n  first\n  second\n\n\n");

            assertThat(value(doc, "a", "key")).isEqualTo("first\nsecond");
        }

        @Test
        void indentedKeyRightAfterHeaderIsAnOption() {
            IniDocument doc = parse("[a]\n  one: 1\n  two: 2\n");

            assertThat(doc.section("a").orElseThrow().keys()).containsExactly("one", "two");
        }

        @Test
        void doublePercentMeansPercentAndLonePercentIsLiteral() {
            IniDocument doc = parse("[a]\nformat: %%(asctime)s 100%% %d\n");

            assertThat(value(doc, "a", "format")).isEqualTo("%(asctime)s 100% %d");
        }

        @Test
        void handlesCarriageReturnsAndByteOrderMark() {
            IniDocument doc = parse("\uFEFF[a]\r\nkey: v\r\n\r\nother: w\r\n");

            assertThat(value(doc, "a", "key")).isEqualTo("v");
            assertThat(doc.section("a").orElseThrow().value("other").orElseThrow().location().line()).isEqualTo(4);
        }

        @Test
        void recordsLocations() {
            IniDocument doc = parse("\n[a]\n\nkey: v\n");

            IniSection section = doc.section("a").orElseThrow();
            assertThat(section.location()).hasToString("/etc/peekaboo/test.conf:2");
            assertThat(section.value("key").orElseThrow().location()).isEqualTo(new ConfigLocation(NAME, 4));
        }

        @Test
        void rejectsOptionOutsideSection() {
            assertThatThrownBy(() -> parse("# header missing\nkey: value\n[a]\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("/etc/peekaboo/test.conf:2: option \"key\" appears before any [section] header");
        }

        @Test
        void rejectsLineThatIsNeitherHeaderNorOption() {
            assertThatThrownBy(() -> parse("[a]\nkey: v\njust words\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("/etc/peekaboo/test.conf:3: \"just words\" is neither a [section] header")
                    .satisfies(e -> assertThat(((ConfigException) e).location())
                            .contains(new ConfigLocation(NAME, 3)));
        }

        @Test
        void rejectsBrokenHeaders() {
            assertThatThrownBy(() -> parse("[a\n"))
                    .hasMessageStartingWith("/etc/peekaboo/test.conf:1: section header \"[a\" must be written [name]");
            assertThatThrownBy(() -> parse("[ ]\n"))
                    .hasMessageStartingWith("/etc/peekaboo/test.conf:1: \"[ ]\" is not a valid section header");
        }

        @Test
        void rejectsOptionWithoutName() {
            assertThatThrownBy(() -> parse("[a]\n: v\n"))
                    .hasMessage("/etc/peekaboo/test.conf:2: option without a name: \": v\"");
        }

        @Test
        void rejectsDuplicateKeyInOneFile() {
            assertThatThrownBy(() -> parse("[a]\nkey: 1\nKEY: 2\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("/etc/peekaboo/test.conf:3: [a] key: given twice in this file (first at line 2)");
        }

        @Test
        void rejectsDuplicateSectionInOneFile() {
            assertThatThrownBy(() -> parse("[a]\nkey: 1\n[b]\n[a]\n"))
                    .hasMessage("/etc/peekaboo/test.conf:4: section [a] appears twice in this file (first at line 1)");
        }
    }

    @Nested
    class Lists {
        @Test
        void collectsItemsInFileOrderWithoutSortingDistinguishers() {
            IniDocument doc = parse("""
                    [rules]
                    rule.9: first
                    rule.1: second
                    rule.x: third
                    other: y
                    """);

            IniSection rules = doc.section("rules").orElseThrow();
            assertThat(items(doc, "rules", "rule")).containsExactly("first", "second", "third");
            assertThat(rules.keys()).containsExactly("rule", "other");
            assertThat(rules.isList("rule")).isTrue();
            assertThat(rules.list("rule").orElseThrow().get(1).key()).isEqualTo("rule.1");
        }

        @Test
        void distinguisherMustBeUniquePerFile() {
            assertThatThrownBy(() -> parse("[rules]\nrule.1: a\nrule.1: b\n"))
                    .hasMessage("/etc/peekaboo/test.conf:3: [rules] rule.1: given twice in this file (first at line 2)");
        }

        @Test
        void resetEmptiesTheListCollectedSoFar() {
            IniDocument doc = parse("[rules]\nrule.1: a\nrule.-: -\nrule.2: b\n");

            assertThat(items(doc, "rules", "rule")).containsExactly("b");
        }

        @Test
        void resetAloneGivesAnEmptyList() {
            IniDocument doc = parse("[rules]\nrule.-: -\n");

            assertThat(doc.section("rules").orElseThrow().list("rule")).contains(List.of());
        }

        @Test
        void resetMustHaveDashValue() {
            assertThatThrownBy(() -> parse("[rules]\nrule.-: a\n"))
                    .hasMessage("/etc/peekaboo/test.conf:2: [rules] rule.-: a list reset is written rule.-: - (got value \"a\")");
        }

        @Test
        void rejectsEmptyListNameOrDistinguisher() {
            assertThatThrownBy(() -> parse("[rules]\nrule.: a\n"))
                    .hasMessageContaining(":2: [rules] rule.: list item needs a distinguisher after the dot");
            assertThatThrownBy(() -> parse("[rules]\n.1: a\n"))
                    .hasMessageContaining(":2: [rules] .1: list item without a list name");
        }

        @Test
        void rejectsListItemAfterIndividualSetting() {
            assertThatThrownBy(() -> parse("[rules]\nrule: a\nrule.1: b\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("/etc/peekaboo/test.conf:3: [rules] rule.1: rule is supposed to be an individual"
                            + " setting (/etc/peekaboo/test.conf:2) but given as a list");
        }

        @Test
        void rejectsIndividualSettingAfterListItem() {
            assertThatThrownBy(() -> parse("[rules]\nrule.1: b\nrule: a\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("/etc/peekaboo/test.conf:3: [rules] rule: is supposed to be a list"
                            + " (/etc/peekaboo/test.conf:2) but given as individual setting");
        }

        @Test
        void sectionRefusesToReadAListAsValueAndViceVersa() {
            IniSection section = parse("[rules]\nrule.1: b\nsingle: a\n").section("rules").orElseThrow();

            assertThatThrownBy(() -> section.value("rule"))
                    .hasMessage("/etc/peekaboo/test.conf:2: [rules] rule: is supposed to be an individual setting"
                            + " but given as a list");
            assertThatThrownBy(() -> section.list("single"))
                    .hasMessageStartingWith("/etc/peekaboo/test.conf:3: [rules] single: is supposed to be a list"
                            + " but given as individual setting");
        }
    }

    @Nested
    class DropFiles {
        @TempDir
        Path dir;

        private Path write(String name, String text) throws IOException {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        }

        @Test
        void missingMainFileIsAnError() {
            Path missing = dir.resolve("nope.conf");

            assertThatThrownBy(() -> IniDocument.load(missing))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("Configuration file " + missing + " does not exist");
        }

        @Test
        void mainFileWithoutDropDirectory() throws IOException {
            Path main = write("peekaboo.conf", "[global]\nworker_count: 3\n");

            IniDocument doc = IniDocument.load(main);

            assertThat(doc.files()).containsExactly(main);
            assertThat(value(doc, "global", "worker_count")).isEqualTo("3");
        }

        @Test
        void readsMatchingDropFilesInLexicographicOrderAndIgnoresOthers() throws IOException {
            Path main = write("peekaboo.conf", "[global]\nworker_count: 3\n");
            Path twenty = write("peekaboo.conf.d/20-b.conf", "[global]\nworker_count: 20\n");
            Path ten = write("peekaboo.conf.d/10-a.conf", "[global]\nworker_count: 10\nqueue_size: 10\n");
            write("peekaboo.conf.d/README", "not ini at all");
            write("peekaboo.conf.d/x.conf", "not ini at all");
            write("peekaboo.conf.d/1-a.conf", "not ini at all");
            write("peekaboo.conf.d/30-c.conf.bak", "not ini at all");
            write("peekaboo.conf.d/ab-c.conf", "not ini at all");

            IniDocument doc = IniDocument.load(main);

            assertThat(doc.files()).containsExactly(main, ten, twenty);
            assertThat(value(doc, "global", "worker_count")).isEqualTo("20");
            assertThat(value(doc, "global", "queue_size")).isEqualTo("10");
            assertThat(doc.section("global").orElseThrow().value("worker_count").orElseThrow().location())
                    .isEqualTo(new ConfigLocation(twenty, 2));
        }

        @Test
        void dropFilesAppendToListsAndMayResetThem() throws IOException {
            Path main = write("ruleset.conf", "[rules]\nrule.1: a\nrule.2: b\n[other]\nlist.1: x\n");
            write("ruleset.conf.d/10-more.conf", "[rules]\nrule.1: c\n[other]\nlist.-: -\nlist.1: y\n");
            write("ruleset.conf.d/20-new-section.conf", "[extra]\nkey: v\n");

            IniDocument doc = IniDocument.load(main);

            assertThat(items(doc, "rules", "rule")).containsExactly("a", "b", "c");
            assertThat(items(doc, "other", "list")).containsExactly("y");
            assertThat(doc.sections()).extracting(IniSection::name).containsExactly("rules", "other", "extra");
        }

        @Test
        void dropFileMayNotTurnAListIntoASetting() throws IOException {
            Path main = write("ruleset.conf", "[rules]\nrule.1: a\n");
            Path drop = write("ruleset.conf.d/10-x.conf", "[rules]\nrule: b\n");

            assertThatThrownBy(() -> IniDocument.load(main))
                    .hasMessage(drop + ":2: [rules] rule: is supposed to be a list (" + main
                            + ":2) but given as individual setting");
        }

        @Test
        void syntaxErrorInDropFileNamesIt() throws IOException {
            Path main = write("peekaboo.conf", "[global]\n");
            Path drop = write("peekaboo.conf.d/10-x.conf", "[global]\nnonsense\n");

            assertThatThrownBy(() -> IniDocument.load(main)).hasMessageStartingWith(drop + ":2: \"nonsense\"");
        }

        @Test
        void dropDirectoryEntryThatIsNoFileIsAnError() throws IOException {
            Path main = write("peekaboo.conf", "[global]\n");
            Path odd = Files.createDirectories(dir.resolve("peekaboo.conf.d/10-dir.conf"));

            assertThatThrownBy(() -> IniDocument.load(main))
                    .hasMessage("Drop file " + odd + " is not a regular file");
        }

        @Test
        void unreadableDropFileIsAnErrorNamingIt() throws IOException {
            Path main = write("peekaboo.conf", "[global]\n");
            Path drop = write("peekaboo.conf.d/10-x.conf", "[global]\n");
            // A dangling symlink cannot be read whatever user runs the test (root ignores modes).
            Files.delete(drop);
            Files.createSymbolicLink(drop, dir.resolve("gone"));

            assertThatThrownBy(() -> IniDocument.load(main))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(drop.toString());
        }

        @Test
        void invalidUtf8IsAnError() throws IOException {
            Path main = dir.resolve("peekaboo.conf");
            Files.write(main, new byte[] {'[', 'a', ']', '\n', 'k', ':', (byte) 0xff, '\n'});

            assertThatThrownBy(() -> IniDocument.load(main))
                    .hasMessage("Configuration file " + main + " is not valid UTF-8 text");
        }

        @Test
        void dropDirectoryThatIsAFileIsAnError() throws IOException {
            Path main = write("peekaboo.conf", "[global]\n");
            write("peekaboo.conf.d", "oops");

            assertThatThrownBy(() -> IniDocument.load(main))
                    .hasMessage("Drop file directory " + dir.resolve("peekaboo.conf.d") + " is not a directory");
        }
    }

    @Test
    void requireSectionsInRejectsUnknownSectionWithLocation() {
        IniDocument doc = parse("[global]\n[loging]\nlog_level: INFO\n");

        doc.requireSectionsIn(Set.of("global", "loging"));
        assertThatThrownBy(() -> doc.requireSectionsIn(Set.of("global", "logging")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/peekaboo/test.conf:2: Unknown section [loging]; known sections: global, logging");
    }
}
