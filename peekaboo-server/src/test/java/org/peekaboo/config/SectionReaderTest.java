package org.peekaboo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SectionReaderTest {
    private static final Path NAME = Path.of("/etc/peekaboo/test.conf");
    private static final String AT = "/etc/peekaboo/test.conf:2: [s] key: ";

    /** A reader over {@code [s]} with the given option lines below the header (so line 2 is the first). */
    private static SectionReader reader(String options) {
        return new SectionReader(IniDocument.parse(NAME, "[s]\n" + options + "\n"), "s");
    }

    @Test
    void absentSectionGivesDefaults() {
        SectionReader reader = new SectionReader(IniDocument.parse(NAME, "[other]\n"), "s");

        assertThat(reader.present()).isFalse();
        assertThat(reader.string("a", "d")).isEqualTo("d");
        assertThat(reader.integer("b", 3, 1, 5)).isEqualTo(3);
        assertThat(reader.list("c", List.of("x"))).containsExactly("x");
        assertThat(reader.optionalPath("d")).isEmpty();
        reader.ignore("e", "why");
        assertThat(reader.warnings()).isEmpty();
        reader.finish();
    }

    @Nested
    class Strings {
        @Test
        void stringAndOptionalString() {
            SectionReader reader = reader("key: value\nempty:");

            assertThat(reader.string("key", "d")).isEqualTo("value");
            assertThat(reader.string("missing", "d")).isEqualTo("d");
            assertThat(reader.string("empty", "d")).isEmpty();
            assertThat(reader.optionalString("key")).contains("value");
            assertThat(reader.optionalString("empty")).isEmpty();
            assertThat(reader.optionalString("missing")).isEmpty();
        }

        @Test
        void rawKeepsLocation() {
            IniValue raw = reader("Key: v").raw("KEY").orElseThrow();

            assertThat(raw).isEqualTo(new IniValue("key", "v", new ConfigLocation(NAME, 2)));
        }

        @Test
        void stringRefusesAList() {
            assertThatThrownBy(() -> reader("key.1: a").string("key", "d"))
                    .hasMessage(AT + "is supposed to be an individual setting but given as a list");
        }
    }

    @Nested
    class Integers {
        @Test
        void parsesWithinRange() {
            assertThat(reader("key: 256").integer("key", 3, 1, 256)).isEqualTo(256);
            assertThat(reader("key: -4").integer("key", 3, -5, 5)).isEqualTo(-4);
        }

        @Test
        void rejectsNonNumbers() {
            assertThatThrownBy(() -> reader("key: abc").integer("key", 3, 1, 256))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(AT + "\"abc\" is not a whole number (allowed: a whole number from 1 to 256)");
            assertThatThrownBy(() -> reader("key: 1.5").integer("key", 3, 1, 256))
                    .hasMessageContaining("\"1.5\" is not a whole number");
            assertThatThrownBy(() -> reader("key: 99999999999").integer("key", 3, 1, 256))
                    .hasMessageContaining("\"99999999999\" is not a whole number");
        }

        @Test
        void rejectsOutOfRange() {
            assertThatThrownBy(() -> reader("key: 0").integer("key", 3, 1, 256))
                    .hasMessage(AT + "\"0\" is out of range (allowed: a whole number from 1 to 256)");
            assertThatThrownBy(() -> reader("key: 257").integer("key", 3, 1, 256))
                    .hasMessage(AT + "\"257\" is out of range (allowed: a whole number from 1 to 256)");
        }

        @Test
        void exceptionCarriesItsParts() {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                    () -> reader("key: x").integer("key", 3, 1, 2));

            assertThat(e.location()).contains(new ConfigLocation(NAME, 2));
            assertThat(e.section()).contains("s");
            assertThat(e.key()).contains("key");
        }
    }

    @Nested
    class Reals {
        @Test
        void parsesDecimals() {
            assertThat(reader("key: 4.5").real("key", 1.0)).isEqualTo(4.5);
            assertThat(reader("key: -2").real("key", 1.0)).isEqualTo(-2.0);
            assertThat(reader("key: 1e3").real("key", 1.0)).isEqualTo(1000.0);
            assertThat(reader("").real("key", 1.0)).isEqualTo(1.0);
        }

        @Test
        void rejectsWhatJavaWouldOtherwiseAccept() {
            for (String text : List.of("NaN", "Infinity", "1.5d", "0x1p3", "abc", "")) {
                assertThatThrownBy(() -> reader("key: " + text).real("key", 1.0))
                        .hasMessage(AT + "\"" + text + "\" is not a number (allowed: a decimal number, e.g. 4.5)");
            }
        }

        @Test
        void rejectsOutOfRangeAndOverflow() {
            assertThatThrownBy(() -> reader("key: 11").real("key", 1.0, 0, 10))
                    .hasMessage(AT + "\"11\" is out of range (allowed: a decimal number from 0.0 to 10.0)");
            assertThatThrownBy(() -> reader("key: 1e999").real("key", 1.0))
                    .hasMessageContaining("\"1e999\" is out of range");
        }
    }

    @Nested
    class Booleans {
        @ParameterizedTest
        @CsvSource({"yes,true", "YES,true", "true,true", "on,true", "1,true",
                "no,false", "False,false", "off,false", "0,false"})
        void acceptsTheUsualWords(String text, boolean expected) {
            assertThat(reader("key: " + text).bool("key", !expected)).isEqualTo(expected);
        }

        @Test
        void rejectsOthers() {
            assertThatThrownBy(() -> reader("key: maybe").bool("key", true))
                    .hasMessage(AT + "\"maybe\" is not a yes/no value (allowed: yes, no, true, false, on, off, 1, 0)");
        }
    }

    @Nested
    class Sizes {
        @ParameterizedTest
        @CsvSource({"1024,1024", "7B,7", "1K,1024", "1k,1024", "1KiB,1024", "1KB,1000", "1M,1048576",
                "25 MiB,26214400", "2MB,2000000", "1G,1073741824", "1GiB,1073741824", "3GB,3000000000"})
        void parsesUnits(String text, long bytes) {
            assertThat(reader("key: " + text).size("key", 1, 0, Long.MAX_VALUE)).isEqualTo(bytes);
        }

        @Test
        void defaultWhenAbsent() {
            assertThat(reader("").size("key", 1 << 20, 1024, 64 << 20)).isEqualTo(1 << 20);
        }

        @Test
        void rejectsGarbageWithSyntaxAndRange() {
            for (String text : List.of("abc", "1.5M", "1T", "-1", "M", "99999999999999999999")) {
                assertThatThrownBy(() -> reader("key: " + text).size("key", 1, 1024, 64L << 20))
                        .hasMessageStartingWith(AT + "\"" + text + "\" is not a size; write a whole number of bytes")
                        .hasMessageEndingWith("(allowed: 1K to 64M bytes)");
            }
        }

        @Test
        void rejectsOverflowOfUnit() {
            assertThatThrownBy(() -> reader("key: 9000000000G").size("key", 1, 0, Long.MAX_VALUE))
                    .hasMessageContaining("\"9000000000G\" is not a size");
        }

        @Test
        void rejectsOutOfRange() {
            assertThatThrownBy(() -> reader("key: 128M").size("key", 1, 1024, 64L << 20))
                    .hasMessage(AT + "\"128M\" (134217728 bytes) is out of range (allowed: 1K to 64M bytes)");
            assertThatThrownBy(() -> reader("key: 1000").size("key", 1, 1024, 64L << 20))
                    .hasMessage(AT + "\"1000\" (1000 bytes) is out of range (allowed: 1K to 64M bytes)");
        }
    }

    @Nested
    class Durations {
        private static final Duration MIN = Duration.ofSeconds(1);
        private static final Duration MAX = Duration.ofDays(2);

        @ParameterizedTest
        @CsvSource({"500ms,PT0.5S", "30s,PT30S", "30,PT30S", "10m,PT10M", "2h,PT2H", "1d,PT24H", "5 S,PT5S"})
        void parsesUnits(String text, Duration expected) {
            assertThat(reader("key: " + text).duration("key", MIN, Duration.ZERO, MAX)).isEqualTo(expected);
        }

        @Test
        void rejectsGarbage() {
            for (String text : List.of("abc", "1.5s", "10 minutes", "-1s", "s")) {
                assertThatThrownBy(() -> reader("key: " + text).duration("key", MIN, MIN, MAX))
                        .hasMessage(AT + "\"" + text + "\" is not a duration; write a whole number with unit ms, s,"
                                + " m, h or d (plain number = seconds), e.g. 30s (allowed: 1s to 2d)");
            }
        }

        @Test
        void rejectsOutOfRange() {
            assertThatThrownBy(() -> reader("key: 500ms").duration("key", MIN, MIN, Duration.ofMinutes(10)))
                    .hasMessage(AT + "\"500ms\" is out of range (allowed: 1s to 10m)");
            assertThatThrownBy(() -> reader("key: 3d").duration("key", MIN, Duration.ofMillis(1500), MAX))
                    .hasMessage(AT + "\"3d\" is out of range (allowed: 1500ms to 2d)");
            assertThatThrownBy(() -> reader("key: 99999999999999999d").duration("key", MIN, MIN, MAX))
                    .hasMessageContaining("is not a duration");
        }
    }

    @Nested
    class Octals {
        @ParameterizedTest
        @CsvSource({"0660,432", "660,432", "0o660,432", "0,0", "7777,4095"})
        void parsesFileModes(String text, int expected) {
            assertThat(reader("key: " + text).octal("key", 0600)).isEqualTo(expected);
        }

        @Test
        void rejectsNonOctalAndTooLarge() {
            assertThatThrownBy(() -> reader("key: 0980").octal("key", 0660))
                    .hasMessage(AT + "\"0980\" is not an octal number (allowed: an octal number from 0000 to 7777, e.g. 0660)");
            assertThatThrownBy(() -> reader("key: 17777").octal("key", 0660))
                    .hasMessage(AT + "\"17777\" is out of range (allowed: an octal number from 0000 to 7777, e.g. 0660)");
            assertThatThrownBy(() -> reader("key: 7777777777777").octal("key", 0660))
                    .hasMessageContaining("is out of range");
        }

        @Test
        void defaultWhenAbsent() {
            assertThat(reader("").octal("key", 0660)).isEqualTo(0660);
        }
    }

    @Nested
    class Paths {
        @Test
        void pathAsWritten() {
            SectionReader reader = reader("key: relative/file.conf\nempty:");

            assertThat(reader.path("key", Path.of("/d"))).isEqualTo(Path.of("relative/file.conf"));
            assertThat(reader.path("missing", Path.of("/d"))).isEqualTo(Path.of("/d"));
            assertThat(reader.optionalPath("empty")).isEmpty();
            assertThatThrownBy(() -> reader.path("empty", Path.of("/d")))
                    .hasMessage("/etc/peekaboo/test.conf:3: [s] empty: is empty (allowed: a file system path)");
        }

        @Test
        void rejectsInvalidPath() {
            assertThatThrownBy(() -> reader("key: a\u0000b").path("key", Path.of("/d")))
                    .hasMessageStartingWith(AT + "\"a\u0000b\" is not a valid path");
        }
    }

    @Nested
    class Lists {
        @Test
        void itemsDefaultAndReset() {
            SectionReader reader = reader("key.a: one\nkey.b: two\nreset.-: -");

            assertThat(reader.list("key", List.of("d"))).containsExactly("one", "two");
            assertThat(reader.list("reset", List.of("d"))).isEmpty();
            assertThat(reader.list("missing", List.of("d"))).containsExactly("d");
            assertThat(reader.rawList("key").orElseThrow()).extracting(IniValue::key).containsExactly("key.a", "key.b");
        }

        @Test
        void refusesAnIndividualSetting() {
            assertThatThrownBy(() -> reader("key: one").list("key", List.of()))
                    .hasMessage(AT + "is supposed to be a list but given as individual setting;"
                            + " write it as key.0: ... (one line per item)");
        }
    }

    @Nested
    class UnknownAndIgnored {
        @Test
        void finishNamesTheFirstUnreadOptionWithItsLocation() {
            SectionReader reader = reader("known: 1\nworkers: 5\nother: 2");
            reader.integer("known", 0, 0, 9);
            reader.integer("worker_count", 3, 1, 256);

            assertThatThrownBy(reader::finish)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("/etc/peekaboo/test.conf:3: [s] workers: Unknown option; known options: known, worker_count");
        }

        @Test
        void finishNamesAnUnreadListByItsFirstItem() {
            SectionReader reader = reader("x: 1\nitem.1: a");
            reader.string("x", "");

            assertThatThrownBy(reader::finish)
                    .hasMessage("/etc/peekaboo/test.conf:3: [s] item: Unknown option; known options: x");
        }

        @Test
        void finishPassesWhenEverythingWasRead() {
            SectionReader reader = reader("a: 1\nb.1: x");
            reader.string("a", "");
            reader.list("b", List.of());

            reader.finish();
        }

        @Test
        void ignoreAcceptsAndWarnsOnlyWhenGiven() {
            SectionReader reader = reader("pid_file: /run/x.pid\nlist.1: a");
            reader.ignore("pid_file", "systemd tracks the process");
            reader.ignore("list", "not used");
            reader.ignore("user", "never given");

            reader.finish();
            assertThat(reader.warnings()).containsExactly(
                    new ConfigWarning(new ConfigLocation(NAME, 2), "s", "pid_file", "ignored: systemd tracks the process"),
                    new ConfigWarning(new ConfigLocation(NAME, 3), "s", "list", "ignored: not used"));
            assertThat(reader.warnings().get(0))
                    .hasToString("/etc/peekaboo/test.conf:2: [s] pid_file: ignored: systemd tracks the process");
        }

        @Test
        void callerErrorsAndWarningsUseTheSameForm() {
            SectionReader reader = reader("key: x");
            IniValue value = reader.raw("key").orElseThrow();
            reader.warn(value, "deprecated");

            assertThat(reader.error(value, "bad regex")).hasMessage(AT + "bad regex");
            assertThat(reader.warnings()).extracting(ConfigWarning::toString).containsExactly(AT + "deprecated");
        }
    }
}
