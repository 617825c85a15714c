package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MimeNamesTest {

    /** Header values as mail clients write them; 8-bit ones as Jakarta Mail hands them over, a char per byte. */
    static Stream<Arguments> dispositions() {
        return Stream.of(
                Arguments.of("attachment; filename=\"invoice.pdf\"", "invoice.pdf"),
                Arguments.of("attachment; filename=invoice.pdf", "invoice.pdf"),
                Arguments.of("attachment; filename=my invoice 2024.pdf", "my invoice 2024.pdf"),
                Arguments.of("attachment;\r\n\tfilename=\"folded.pdf\"", "folded.pdf"),
                Arguments.of("attachment; filename*=utf-8''%E2%82%AC%20Rechnung.pdf", "€ Rechnung.pdf"),
                Arguments.of("attachment; filename*0*=iso-8859-1'de'Gr%FC; filename*1*=%DFe;\r\n filename*2=\".docm\"",
                        "Grüße.docm"),
                Arguments.of("attachment; filename*0=\"a very long \"; filename*1=\"name.zip\"", "a very long name.zip"),
                Arguments.of("attachment; filename*=windows-1252'en-us'%80uro.xlsm", "€uro.xlsm"),
                Arguments.of("attachment; filename=\"fallback.txt\"; filename*=UTF-8''real.exe", "real.exe"),
                Arguments.of("attachment; filename==?iso-8859-1?Q?Gr=FC=DFe_2024.zip?=", "Grüße 2024.zip"),
                Arguments.of("attachment; filename=\"=?UTF-8?B?w5xiZXJzaWNodC5leGU=?=\"", "Übersicht.exe"),
                Arguments.of("attachment; filename=\"=?UTF-8?Q?=C3?= =?UTF-8?Q?=9Cber?= =?UTF-8?B?LnBkZg==?=\"", "Über.pdf"),
                Arguments.of("attachment; filename=\"Rechnung =?utf-8?q?M=C3=A4rz?=.pdf\"", "Rechnung März.pdf"),
                Arguments.of("attachment; filename=\"" + bytes("Übersicht.pdf", StandardCharsets.UTF_8) + "\"",
                        "Übersicht.pdf"),
                Arguments.of("attachment; filename=\"" + bytes("Grüße €.pdf", Charset.forName("windows-1252")) + "\"",
                        "Grüße €.pdf"),
                Arguments.of("attachment; filename*=x-klingon''abc%20d.exe", "abc%20d.exe"),
                Arguments.of("attachment; filename=\"=?x-klingon?Q?abc?=.exe\"", "=?x-klingon?Q?abc?=.exe"),
                Arguments.of("attachment; filename=\"=?utf-8?B?Q?=.exe\"", "=?utf-8?B?Q?=.exe"),
                Arguments.of("attachment; filename=\"..\\..\\evil.exe\"", "..\\..\\evil.exe"),
                Arguments.of("attachment; filename=\"say \\\"hi\\\".txt\"", "say \"hi\".txt"),
                Arguments.of("attachment; filename*=utf-8''evil%00.pdf%0A.exe", "evil.pdf.exe"),
                Arguments.of("attachment; FILENAME=\"UPPER.DOC\"", "UPPER.DOC"),
                Arguments.of("attachment; filename=\"unclosed.js", "unclosed.js"),
                Arguments.of("attachment; size=12; ; junk; filename=\"after-junk.vbs\" trailing", "after-junk.vbs"));
    }

    @ParameterizedTest
    @MethodSource("dispositions")
    void decodesTheNameOfEveryHeaderStyle(String disposition, String expected) {
        assertThat(MimeNames.nameOf(MimeHeaderValue.parse(disposition), null)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("dispositions")
    void decodesTheSameStylesInContentTypeName(String disposition, String expected) {
        String contentType = disposition.replace("attachment;", "application/octet-stream;")
                .replace("filename", "name").replace("FILENAME", "NAME");
        assertThat(MimeNames.nameOf(null, MimeHeaderValue.parse(contentType))).isEqualTo(expected);
    }

    @Test
    void prefersTheDispositionsFilenameToTheTypesName() {
        assertThat(MimeNames.nameOf(MimeHeaderValue.parse("attachment; filename=real.exe"),
                MimeHeaderValue.parse("application/pdf; name=decoy.pdf"))).isEqualTo("real.exe");
        assertThat(MimeNames.nameOf(MimeHeaderValue.parse("attachment"),
                MimeHeaderValue.parse("application/pdf; name=only.pdf"))).isEqualTo("only.pdf");
        assertThat(MimeNames.nameOf(MimeHeaderValue.parse("inline"), MimeHeaderValue.parse("text/plain"))).isNull();
        assertThat(MimeNames.nameOf(null, MimeHeaderValue.parse("no type; name=still.exe"))).isEqualTo("still.exe");
    }

    @Test
    void splitsTypesAndDispositionsLeniently() {
        assertThat(MimeHeaderValue.parse("Application/PDF ; name=x").mimeType()).isEqualTo("application/pdf");
        assertThat(MimeHeaderValue.parse("garbage").mimeType()).isNull();
        assertThat(MimeHeaderValue.parse("").mimeType()).isNull();
        assertThat(MimeHeaderValue.parse("ATTACHMENT; filename=a").token()).isEqualTo("attachment");
        assertThat(MimeHeaderValue.parse("attach ment").token()).isNull();
        assertThat(MimeHeaderValue.parse(null)).isNull();
    }

    @Test
    void stripsHtmlToItsWords() {
        assertThat(MimeText.stripHtml("<p>Kennwort:&nbsp;<b>Geheim&amp;7</b></p><script>var x = '<b>';</script>"
                + "<!-- hidden --><td>&#77;&#x41;X</td> a < b").split("\\s+"))
                .containsExactly("", "Kennwort:", "Geheim&7", "MAX", "a", "<", "b");
        assertThat(MimeText.stripHtml("<script>never closed <p>words")).isBlank();
    }

    private static String bytes(String text, Charset charset) {
        return new String(text.getBytes(charset), StandardCharsets.ISO_8859_1);
    }
}
