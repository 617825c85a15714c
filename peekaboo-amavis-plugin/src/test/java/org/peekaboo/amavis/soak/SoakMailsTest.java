package org.peekaboo.amavis.soak;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.TestMails;

class SoakMailsTest {
    private final SoakMails mails = SoakMails.withMacroDocument(
            Path.of(System.getProperty("peekaboo.repository", "..")).resolve("docker/demo/invoice.doc"));

    @Test
    void theSeedDecidesKindsAndPartsAndEveryKindOccurs() {
        List<SoakMail> first = mails.generate(300, new Random(5), "r");
        List<SoakMail> again = mails.generate(300, new Random(5), "r");

        assertThat(again).extracting(SoakMail::kind).isEqualTo(first.stream().map(SoakMail::kind).toList());
        assertThat(again).extracting(SoakMail::parts).isEqualTo(first.stream().map(SoakMail::parts).toList());
        assertThat(first).extracting(SoakMail::kind).containsOnly(MailKind.values());
        assertThat(first).extracting(SoakMail::id).doesNotHaveDuplicates();
        assertThat(first).allSatisfy(mail -> {
            if (mail.kind() == MailKind.CLEAN_TEXT) {
                assertThat(mail.parts()).isZero();
            } else {
                assertThat(mail.parts()).isBetween(1, 20);
            }
        });
        assertThat(first).extracting(SoakMail::parts).contains(1, 20);
    }

    @Test
    void everyMailNamesItselfAndAMarkerMailCarriesTheMarker() throws Exception {
        for (SoakMail mail : mails.generate(60, new Random(9), "run")) {
            ReceivedMail parsed = new ReceivedMail(TestMails.FROM, List.of(TestMails.TO), mail.content());
            assertThat(parsed.header(SoakMails.ID_HEADER)).isEqualTo("run-" + mail.id());
            assertThat(parsed.header(SoakMails.EXPECT_HEADER)).isEqualTo(mail.kind().bad() ? "bad" : "clean");
            List<String> parts = new ArrayList<>();
            if (parsed.message().getContent() instanceof MimeMultipart multipart) {
                for (int i = 1; i < multipart.getCount(); i++) {
                    parts.add(new String(multipart.getBodyPart(i).getInputStream().readAllBytes(),
                            StandardCharsets.UTF_8));
                }
            }
            assertThat(parts).as("attachments of %s", mail.kind()).hasSize(mail.parts());
            assertThat(parts.stream().filter(part -> part.contains(SoakMails.MARKER)))
                    .hasSize(mail.kind() == MailKind.MARKER ? 1 : 0);
        }
    }
}
