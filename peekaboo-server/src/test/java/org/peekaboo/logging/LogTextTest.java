package org.peekaboo.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void plainTextIsLeftAlone() {
        String text = "Categorized 3 file(s) as good: Grüße 日本語 😀 /var/lib/amavis/tmp/x";
        assertThat(LogText.escape(text)).isSameAs(text);
    }

    @Test
    void lineBreaksAndTerminalEscapesBecomeVisible() {
        assertThat(LogText.escape("a\nb\rc\td\0e\u001b[31mf\u007fg"))
                .isEqualTo("a\\nb\\rc\\td\\0e\\e[31mf\\x7fg");
    }

    @Test
    void otherControlsSeparatorsAndBidiOverridesAreEscaped() {
        assertThat(LogText.escape("\u0001\u0085\u009b\u2028\u2029\u202e\u2066\ufeff"))
                .isEqualTo("\\x01\\x85\\x9b\\u2028\\u2029\\u202e\\u2066\\ufeff");
    }

    @Test
    void aBackslashIsDoubledSoThatAnEscapeCannotBeFaked() {
        assertThat(LogText.escape("C:\\n")).isEqualTo("C:\\\\n");
    }

    @Test
    void loneSurrogatesAreEscapedAndPairsKept() {
        assertThat(LogText.escape("x\ud800y\udc00z😀")).isEqualTo("x\\ud800y\\udc00z😀");
        assertThat(LogText.escape("end\ud83d")).isEqualTo("end\\ud83d");
    }

    @Test
    void nullIsWrittenAsNull() {
        assertThat(LogText.escape(null)).isEqualTo("null");
    }
}
