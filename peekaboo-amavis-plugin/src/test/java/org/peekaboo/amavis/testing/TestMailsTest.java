package org.peekaboo.amavis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.amavis.testing.Attachment.NameEncoding;

/** The non-ASCII name tests are only as good as the headers these mails really carry. */
class TestMailsTest {
    private final TestMails mails = new TestMails();

    @Test
    void rfc2231NamesArePercentEncodedUtf8() throws Exception {
        String raw = raw(mails.mail("s", "b", List.of(Attachment.text("Größe €.pdf", "x")
                .withEncoding(NameEncoding.RFC2231))));

        assertThat(raw).contains("filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%E2%82%AC.pdf")
                .contains("name*=UTF-8''Gr%C3%B6%C3%9Fe%20%E2%82%AC.pdf")
                .doesNotContain("Größe");
    }

    @Test
    void rfc2047NamesAreEncodedWordsThatDecodeToTheName() throws Exception {
        MimeMessage mail = mails.mail("s", "b", List.of(Attachment.text("Отчёт-東京.txt", "x")
                .withEncoding(NameEncoding.RFC2047)));
        String raw = raw(mail);

        assertThat(raw).contains("filename=\"=?UTF-8?B?").doesNotContain("東京");
        String header = ((MimeMultipart) mail.getContent()).getBodyPart(1).getHeader("Content-Disposition")[0];
        String encoded = header.substring(header.indexOf('"') + 1, header.lastIndexOf('"'));
        assertThat(MimeUtility.decodeText(encoded)).isEqualTo("Отчёт-東京.txt");
    }

    @Test
    void theDeclaredTypeIsKept() throws Exception {
        String raw = raw(mails.mail("s", "b", List.of(Attachment.resource("logo.png", "image/png"))));

        assertThat(raw).contains("Content-Type: image/png; name=\"logo.png\"")
                .contains("Content-Disposition: attachment; filename=\"logo.png\"");
    }

    private static String raw(MimeMessage mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
