package org.peekaboo.expansion;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.verdict.Result;

class MessageReaderTest {
    private static final Session SESSION = Session.getInstance(new Properties());

    @TempDir
    Path spoolParent;
    private SampleSpool spool;
    private final List<Expansion> expansions = new ArrayList<>();

    @BeforeEach
    void makeSpool() {
        spool = SampleSpool.under(spoolParent);
    }

    @AfterEach
    void closeMembers() {
        expansions.forEach(Expansion::closeMembers);
    }

    @Test
    void aMessageBuiltWithJakartaMailGivesItsBodyAndAttachmentDecoded() throws Exception {
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Hello, the invoice is attached.", "utf-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(new byte[] {'P', 'K', 3, 4, 0, (byte) 0xFF}, "application/zip");
        attachment.setFileName("Rechnung März.zip");
        attachment.setDisposition("attachment");
        attachment.setHeader("Content-Transfer-Encoding", "base64");

        Expansion expansion = read(message(new MimeMultipart(body, attachment)));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path, Member::typeDeclared, Member::contentDisposition)
                .containsExactly(tuple(null, "text/plain", null), tuple("Rechnung März.zip", "application/zip", "attachment"));
        assertThat(bytesOf(expansion.members().get(1))).containsExactly('P', 'K', 3, 4, 0, 0xFF);
        assertThat(text(expansion.members().get(0))).isEqualTo("Hello, the invoice is attached.");
    }

    @Test
    void namesInEveryHeaderStyleSurviveJakartaMailsParsing() {
        String[][] parts = {
            {"Content-Type: application/pdf; name=\"only-type.pdf\"", "only-type.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"only-disposition.pdf\"",
                "only-disposition.pdf"},
            {"Content-Type: application/pdf; name=unquoted.pdf", "unquoted.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=with spaces.pdf", "with spaces.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n filename*0*=iso-8859-1''Gr%FC;\r\n"
                + " filename*1*=%DFe.pdf", "Grüße.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8'de'%E2%82%AC.pdf", "€.pdf"},
            {"Content-Type: application/pdf; name=\"=?utf-8?B?w5xiZXJzaWNodC5wZGY=?=\"", "Übersicht.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename==?iso-8859-1?Q?M=E4rz.pdf?=",
                "März.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"Übersicht-utf8.pdf\"",
                "Übersicht-utf8.pdf"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"Grüße-1252.pdf\"",
                "Grüße-1252.pdf"},
            {"Content-Type: application/x-msdownload\r\nContent-Disposition: attachment; filename=\"..\\..\\evil.exe\"",
                "..\\..\\evil.exe"},
            {"Content-Type: application/pdf; name=\"decoy.pdf\"\r\nContent-Disposition: attachment; filename=\"real.exe\"",
                "real.exe"},
            {"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=x-unknown''raw%41.pdf",
                "raw%41.pdf"},
        };
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        write(message, "From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
                StandardCharsets.US_ASCII);
        for (String[] part : parts) {
            // Raw 8-bit names are written in the charset their name says; the rest is ASCII anyway.
            Charset charset = part[0].contains("1252") ? Charset.forName("windows-1252") : StandardCharsets.UTF_8;
            write(message, "--b\r\n" + part[0] + "\r\n\r\ncontent\r\n", charset);
        }
        write(message, "--b--\r\n", StandardCharsets.US_ASCII);

        Expansion expansion = read(message.toByteArray());

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path)
                .containsExactly(Stream.of(parts).map(part -> part[1]).toArray(String[]::new));
        assertThat(expansion.members()).allSatisfy(member -> assertThat(text(member)).isEqualTo("content"));
    }

    @Test
    void aNestedMessageIsOneMemberOfItsOwnBytes() throws Exception {
        MimeBodyPart inner = new MimeBodyPart();
        inner.setContent("inner attachment", "application/octet-stream");
        inner.setFileName("inner.exe");
        MimeMessage nested = new MimeMessage(SESSION);
        nested.setSubject("forwarded");
        nested.setContent(new MimeMultipart(inner));
        nested.saveChanges();
        MimeBodyPart forwarded = new MimeBodyPart();
        forwarded.setContent(nested, "message/rfc822");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("see below");

        Expansion expansion = read(message(new MimeMultipart(body, forwarded)));

        assertThat(expansion.members()).extracting(Member::typeDeclared).containsExactly("text/plain", "message/rfc822");
        assertThat(text(expansion.members().get(1))).contains("Subject: forwarded", "inner attachment");
    }

    @Test
    void everyLeafOfAlternativeAndRelatedIsAMember() throws Exception {
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<html><img src=cid:logo></html>", "text/html; charset=utf-8");
        MimeBodyPart logo = new MimeBodyPart();
        logo.setContent(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png");
        logo.setDisposition("inline");
        logo.setFileName("logo.png");
        MimeMultipart related = new MimeMultipart("related", html, logo);
        MimeBodyPart relatedPart = new MimeBodyPart();
        relatedPart.setContent(related);
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("plain");

        Expansion expansion = read(message(new MimeMultipart("alternative", plain, relatedPart)));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path, Member::typeDeclared, Member::contentDisposition)
                .containsExactly(tuple(null, "text/plain", null), tuple(null, "text/html", null),
                        tuple("logo.png", "image/png", "inline"));
    }

    @Test
    void aDigestsPartsWithoutTypeAreMessages() {
        Expansion expansion = read(ascii("""
                From: list@example.org
                Content-Type: multipart/digest; boundary=d

                --d

                From: one@example.org
                Subject: one

                first
                --d
                Content-Type: text/plain

                not a message
                --d--
                """));

        assertThat(expansion.members()).extracting(Member::typeDeclared).containsExactly("message/rfc822", "text/plain");
        assertThat(text(expansion.members().get(0))).startsWith("From: one@example.org");
    }

    @Test
    void brokenBase64AndUnknownEncodingsAreKeptAsRawBytes() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/octet-stream; name=broken.bin
                Content-Transfer-Encoding: base64

                QUJD=====Q
                --b
                Content-Type: application/octet-stream; name=odd.bin
                Content-Transfer-Encoding: x-rot13

                raw body
                --b
                Content-Type: application/octet-stream; name=good.bin
                Content-Transfer-Encoding: base64

                QUJD
                --b--
                """));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path).containsExactly("broken.bin", "odd.bin", "good.bin");
        assertThat(text(expansion.members().get(0))).isEqualTo("QUJD=====Q");
        assertThat(text(expansion.members().get(1))).isEqualTo("raw body");
        assertThat(text(expansion.members().get(2))).isEqualTo("ABC");
    }

    @Test
    void aTruncatedMessageKeepsItsPartsAndSaysItIsTruncated() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                body
                --b
                Content-Type: application/zip; name=cut.zip
                Content-Transfer-Encoding: base64

                UEsDBBQAAAAIAAAAIQB
                """));

        assertThat(expansion.members()).extracting(Member::path).containsExactly(null, "cut.zip");
        assertThat(text(expansion.members().get(1))).startsWith("UEsDBBQAAAAIAAAAIQB");
        assertThat(expansion.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Finding.Kind.UNREADABLE);
            assertThat(finding.detail()).contains("truncated");
        });
    }

    @Test
    void aMultipartWithoutBoundariesIsOneMemberOfItsBody() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary=nowhere

                no boundary ever comes
                """));

        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.typeDeclared()).isEqualTo("multipart/mixed");
            assertThat(text(member)).contains("no boundary ever comes");
        });
    }

    @Test
    void aPlainMessageWithoutMimeIsItsBody() {
        Expansion expansion = read(ascii("""
                From a@example.org Sat Jan  1 00:00:00 2026
                From: a@example.org
                Subject: hi

                Das Passwort lautet: Rechnung2024
                """));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.path()).isNull();
            assertThat(member.typeDeclared()).isNull();
            assertThat(text(member)).isEqualTo("Das Passwort lautet: Rechnung2024\n");
        });
        assertThat(expansion.words()).contains("Rechnung2024");
        // The word after the marker comes first; "lautet" is filler.
        assertThat(expansion.words().getFirst()).isEqualTo("Rechnung2024");
    }

    @Test
    void theLaterMessagesOfAnMboxAreNestedMessagesOfTheirOwnBytes() {
        String second = "From b@example.org Tue Dec  1 17:40:13 2026\nFrom: b@example.org\nSubject: two\n\nSecond.\n\n";
        String third = "From c@example.org Wed Dec  2 08:00 2026\r\nFrom: c@example.org\r\n\r\nThird.\r\n";
        String mbox = "From a@example.org Mon Nov 30 09:12:01 2026\nFrom: a@example.org\nSubject: one\n\nFirst.\n\n"
                + second + third;

        Expansion expansion = read(ascii(mbox));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::typeDeclared)
                .containsExactly(null, "message/rfc822", "message/rfc822");
        // The first message runs to the end, as if the separators were body lines: a wrong split hides nothing.
        assertThat(text(expansion.members().get(0))).isEqualTo(mbox.substring(mbox.indexOf("First.")));
        assertThat(text(expansion.members().get(1))).isEqualTo(second);
        assertThat(text(expansion.members().get(2))).isEqualTo(third);
    }

    @Test
    void bodyLinesStartingWithFromDoNotSplitAMessage() {
        Expansion mbox = read(ascii("From a@example.org Mon Nov 30 09:12:01 2026\nSubject: one\n\n"
                + "From here on we meet at 10:30 every day.\n\nFrom: quoted header at 10:30\n\n"
                + "From Monday on we meet at 10:30.\n\n"
                + "From a@example.org right after a line, not an empty one 10:30\n"));
        Expansion notMbox = read(ascii("Subject: no mbox\n\nText.\n\nFrom a@example.org Mon Nov 30 09:12:01 2026\n"
                + "Subject: looks like a message\n\nbut the file is no mbox\n"));

        assertThat(mbox.members()).singleElement().satisfies(member -> assertThat(member.typeDeclared()).isNull());
        assertThat(notMbox.members()).singleElement().satisfies(member -> assertThat(member.typeDeclared()).isNull());
    }

    @Test
    void headersOnlyOrNothingGiveNoMembers() {
        Expansion headersOnly = read(ascii("From: a@example.org\nSubject: nothing\n"));
        Expansion empty = read(new byte[0]);

        assertThat(headersOnly.members()).isEmpty();
        assertThat(headersOnly.findings()).isEmpty();
        assertThat(empty.members()).isEmpty();
        assertThat(empty.findings()).isEmpty();
    }

    @Test
    void textWithoutHeadersIsOneMemberOfItself() {
        Expansion expansion = read(ascii("Hello,\nthis is no message at all.\n\nBye\n"));

        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(text(member)).isEqualTo("Hello,\nthis is no message at all.\n\nBye\n"));
    }

    @Test
    void aHundredThousandPartsStopAtMaxMembers() {
        StringBuilder message = new StringBuilder("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n");
        for (int part = 0; part < 100_000; part++) {
            message.append("--b\nContent-Type: text/plain\n\n.\n");
        }
        message.append("--b--\n");

        Expansion expansion = read(ascii(message.toString()), settings(50, true));

        assertThat(expansion.members()).hasSize(50);
        assertThat(expansion.findings()).singleElement()
                .satisfies(finding -> assertThat(finding.kind()).isEqualTo(Finding.Kind.MEMBERS));
    }

    @Test
    void deeplyNestedMultipartsStopAtTheNestingLimit() {
        int levels = 10_000;
        StringBuilder message = new StringBuilder("From: a@example.org\n");
        for (int level = 0; level < levels; level++) {
            message.append("Content-Type: multipart/mixed; boundary=b").append(level).append("\n\n--b").append(level)
                    .append('\n');
        }
        message.append("Content-Type: text/plain\n\ndeepest\n");
        for (int level = levels - 1; level >= 0; level--) {
            message.append("--b").append(level).append("--\n");
        }

        Expansion expansion = read(ascii(message.toString()));

        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.typeDeclared()).isEqualTo("multipart/mixed");
            assertThat(text(member)).contains("deepest");
        });
        assertThat(expansion.findings()).extracting(Finding::detail)
                .containsExactly("multipart nesting deeper than 100: the rest is judged as raw bytes");
    }

    @Test
    void wordsComeFromTheMessagesOwnPlainAndHtmlText() throws Exception {
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Guten Tag,\nanbei die Rechnung.", "iso-8859-1");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Kennwort:&nbsp;<b>Geheim&amp;7</b></p>", "text/html; charset=utf-8");
        MimeMessage nested = new MimeMessage(SESSION);
        nested.setText("Passwort: nicht-von-hier");
        nested.saveChanges();
        MimeBodyPart forwarded = new MimeBodyPart();
        forwarded.setContent(nested, "message/rfc822");
        byte[] message = message(new MimeMultipart(plain, html, forwarded));

        Expansion expansion = read(message);
        Expansion withoutWords = read(message, settings(1000, false));

        // The word after the marker comes first (Passwords also offers the bare ":" that follows "Kennwort").
        assertThat(expansion.words().indexOf("Geheim&7")).isBetween(0, 1);
        assertThat(expansion.words()).contains("Rechnung").doesNotContain("nicht-von-hier");
        assertThat(withoutWords.words()).isEmpty();
    }

    @Test
    void aLargeMessageIsReadInPlaceAndLeavesNoSpoolFileBehind() throws Exception {
        byte[] large = new byte[3 * 1024 * 1024];
        for (int at = 0; at < large.length; at++) {
            large[at] = (byte) (at * 31 + at / 7);
        }
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(large, "application/octet-stream");
        attachment.setFileName("large.bin");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("large");
        SampleContent content = SampleContent.of(message(new MimeMultipart(body, attachment)), spool);

        Expansion expansion = new MessageReader().read(content, ContainerFormat.MESSAGE, null,
                Passwords.none(), budget(ExpansionSettings.defaults()));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).extracting(Member::path).containsExactly(null, "large.bin");
        assertThat(bytesOf(expansion.members().get(1))).isEqualTo(large);
        assertThat(files()).isNotEmpty();
        expansion.closeMembers();
        content.close();
        assertThat(files()).isEmpty();
    }

    @Test
    void decodesQuotedPrintableAndUuencode() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                Gr=FC=DFe, Kennwort: Sommer=
                2024
                --b
                Content-Type: application/octet-stream; name=uu.bin
                Content-Transfer-Encoding: x-uuencode

                begin 644 uu.bin
                #86)C
                `
                end
                --b--
                """));

        assertThat(expansion.members()).extracting(Member::path).containsExactly(null, "uu.bin");
        assertThat(bytesOf(expansion.members().get(0))).isEqualTo("Grüße, Kennwort: Sommer2024".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(text(expansion.members().get(1))).isEqualTo("abc");
        assertThat(expansion.words().indexOf("Sommer2024")).isBetween(0, 1);
    }

    @Test
    void aMissingBoundaryParameterIsTakenFromTheFirstBoundaryLine() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed

                --guessed
                Content-Type: application/x-msdownload; name=a.exe

                MZ
                --guessed--
                """));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.path()).isEqualTo("a.exe");
            assertThat(text(member)).isEqualTo("MZ");
        });
    }

    @Test
    void aPartWithoutHeadersOrItsEmptyLineKeepsItsBody() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary="b"

                preamble
                --b

                no headers
                --b 	
                body right after the boundary
                --b--
                epilogue
                """));

        assertThat(expansion.members()).extracting(MessageReaderTest::text)
                .containsExactly("no headers", "body right after the boundary");
        assertThat(expansion.members()).extracting(Member::typeDeclared).containsOnlyNulls();
    }

    @Test
    void aMessageWhoseBodyIsTheAttachmentNamesIt() {
        byte[] message = ("From: a@example.org\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Disposition: attachment; filename=\"Gr\u00fc\u00dfe.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nTVo=\r\n").getBytes(StandardCharsets.UTF_8);

        Expansion expansion = read(message);

        assertThat(expansion.members()).singleElement().satisfies(member -> {
            assertThat(member.path()).isEqualTo("Grüße.exe");
            assertThat(member.typeDeclared()).isEqualTo("application/octet-stream");
            assertThat(member.contentDisposition()).isEqualTo("attachment");
            assertThat(text(member)).isEqualTo("MZ");
        });
    }

    @Test
    void partialAndExternalBodyMessagesAreLeavesOfTheirOwnBytes() {
        Expansion expansion = read(ascii("""
                From: a@example.org
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: message/partial; id="x@y"; number=1; total=2

                From: inner@example.org
                --b
                Content-Type: message/external-body; access-type=URL; URL="http://example.org/a.exe"

                Content-Type: application/octet-stream
                --b--
                """));

        assertThat(expansion.members()).extracting(Member::typeDeclared)
                .containsExactly("message/partial", "message/external-body");
        assertThat(text(expansion.members().get(0))).isEqualTo("From: inner@example.org");
    }

    @Test
    void theTimeLimitStopsBetweenPartsAndKeepsWhatWasRead() {
        String part = "--b\nContent-Type: text/plain\n\npart\n";
        byte[] message = ascii("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n"
                + part.repeat(100) + "--b--\n");
        long[] now = {0};
        ExpansionSettings settings = settings(1000, false);
        // Every look at the clock is a second later: the limit of a minute is reached within the message.
        ExpansionBudget budget = new ExpansionBudget(settings, spool, () -> now[0] += 1_000_000_000L);

        Expansion expansion = new MessageReader().read(SampleContent.of(message, spool), ContainerFormat.MESSAGE,
                null, Passwords.none(), budget);
        expansions.add(expansion);

        assertThat(expansion.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.TIME);
        assertThat(expansion.members()).isNotEmpty().hasSizeLessThan(100);
    }

    @Test
    void anInterruptedReadStopsWithTheReasonInterrupted() {
        Thread.currentThread().interrupt();
        Expansion expansion;
        try {
            expansion = read(ascii("From: a@example.org\n\nbody\n"));
        } finally {
            Thread.interrupted();
        }

        assertThat(expansion.members()).isEmpty();
        assertThat(expansion.findings()).containsExactly(Finding.interrupted());
    }

    @Test
    void corruptMessagesNeverThrowAndLeaveNoSpoolFileBehind() throws Exception {
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Passwort: 1234");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(new byte[2000], "application/zip");
        attachment.setFileName("a.zip");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMultipart related = new MimeMultipart("related", body);
        MimeBodyPart relatedPart = new MimeBodyPart();
        relatedPart.setContent(related);
        byte[] valid = message(new MimeMultipart(relatedPart, attachment));
        java.util.Random random = new java.util.Random(42);
        String noise = "-\r\n:;=\"?*%ab\0\u00ff";
        for (int round = 0; round < 200; round++) {
            byte[] corrupt = random.nextBoolean() ? valid.clone() : java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
            for (int flips = random.nextInt(8); flips > 0 && corrupt.length > 0; flips--) {
                corrupt[random.nextInt(corrupt.length)] = (byte) noise.charAt(random.nextInt(noise.length()));
            }
            Expansion expansion = read(corrupt);
            assertThat(expansion.members().size() + expansion.findings().size()).isLessThan(20);
        }
        closeMembers();
        expansions.clear();
        assertThat(files()).isEmpty();
    }

    @Test
    void headersBeyondAMegabyteAreJudgedAsBody() {
        String junk = "X-Junk: " + "j".repeat(70) + "\n";
        Expansion expansion = read(ascii("From: a@example.org\n" + junk.repeat(20_000) + "\nthe body\n"));

        assertThat(expansion.findings()).isEmpty();
        assertThat(expansion.members()).singleElement()
                .satisfies(member -> assertThat(text(member)).startsWith("X-Junk: ").endsWith("\n\nthe body\n"));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(spoolParent)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private Expansion read(byte[] message) {
        return read(message, ExpansionSettings.defaults());
    }

    private Expansion read(byte[] message, ExpansionSettings settings) {
        Expansion expansion = new MessageReader().read(SampleContent.of(message, spool), ContainerFormat.MESSAGE,
                "message.eml", Passwords.none(), budget(settings));
        expansions.add(expansion);
        return expansion;
    }

    private ExpansionBudget budget(ExpansionSettings settings) {
        return new ExpansionBudget(settings, spool, System::nanoTime);
    }

    private static ExpansionSettings settings(int maxMembers, boolean passwordsFromText) {
        ExpansionSettings defaults = ExpansionSettings.defaults();
        return new ExpansionSettings(true, defaults.maxDepth(), maxMembers, defaults.maxUnpackedSize(),
                defaults.maxRatio(), defaults.ratioThreshold(), Duration.ofMinutes(1), List.of(), passwordsFromText,
                defaults.maxPasswordWords(), Result.BAD, Result.BAD, Result.FAILED, Result.FAILED);
    }

    private static byte[] message(MimeMultipart multipart) throws Exception {
        MimeMessage message = new MimeMessage(SESSION);
        message.setFrom("sender@example.org");
        message.setSubject("test");
        message.setContent(multipart);
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(ByteArrayOutputStream out, String text, Charset charset) {
        out.writeBytes(text.getBytes(charset));
    }

    private static byte[] bytesOf(Member member) {
        try {
            return member.content().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Member member) {
        return new String(bytesOf(member), StandardCharsets.UTF_8);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
