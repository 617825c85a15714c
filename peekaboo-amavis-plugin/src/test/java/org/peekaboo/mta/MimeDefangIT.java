package org.peekaboo.mta;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.Attachment.NameEncoding;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * Postfix with Debian's MIMEDefang 3.3 as its milter, whose filter asks Peekaboo's clamd front
 * end (profile {@code generic}, Unix socket) with {@code message_contains_virus_clamd}: old-style
 * {@code PING}, then {@code SCAN} of the directory of parts MIMEDefang decoded. Clean mail is
 * delivered, what Peekaboo finds is rejected, an undecided mail or a Peekaboo that is not there
 * is tempfailed and never delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MimeDefangIT {
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(5);
    private static final Duration SLOW = Duration.ofSeconds(10);
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;

    private TestWorkDir work;
    private SmtpSink sink;
    private ClamdPeekaboo peekaboo;
    private MimeDefangInstance mimedefang;
    private PostfixInstance postfix;
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (mimedefang != null) {
                System.err.println(mimedefang.logs());
            }
            if (postfix != null) {
                System.err.println("--- Postfix ---\n" + postfix.logs() + "--- end ---");
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-mimedefang-");
        sink = SmtpSink.start();
        Path mimedefangDir = work.open("mimedefang");
        peekaboo = ClamdPeekaboo.start(work.open("peekaboo"), MimeDefangInstance.spoolDir(mimedefangDir),
                REPLY_DEADLINE, SLOW, ClamdProfile.GENERIC, Optional.of(MimeDefangInstance.USER));
        mimedefang = MimeDefangInstance.start(mimedefangDir, peekaboo.clamdSocket());
        postfix = PostfixInstance.start(work.open("postfix"), mimedefang.milter(), sink.port());
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; ClamdPeekaboo p = peekaboo; MimeDefangInstance m = mimedefang;
             PostfixInstance x = postfix) {
            // closed in reverse order: Postfix first, the directory last
        }
    }

    @Test
    void aCleanMailIsAcceptedAndDelivered() throws Exception {
        String subject = MailFate.unique("clean");

        SmtpReply reply = send(mails.mail(subject, "The minutes follow tomorrow.\n", List.of(
                new Attachment("minutes.pdf", NameEncoding.QUOTED, "application/octet-stream",
                        "nothing to see\n".getBytes(StandardCharsets.US_ASCII)))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        assertThat(MailFate.awaitDelivery(sink, subject).text()).contains("The minutes follow tomorrow.");
    }

    @Test
    void anAttachmentWithTheMarkerIsRejectedNamingTheRule() throws IOException {
        String subject = MailFate.unique("marker");
        byte[] content = ("Amount due " + UUID.randomUUID() + ".\n" + MARKER + "\n").getBytes(StandardCharsets.US_ASCII);

        SmtpReply reply = send(mails.mail(subject, "Please pay.\n", List.of(
                new Attachment("invoice.txt", NameEncoding.QUOTED, "text/plain", content))));

        assertRejected(reply, subject, "Peekaboo.contains_peekabooyar");
        assertThat(peekaboo.analysesOfContent(content)).isNotEmpty()
                .allSatisfy(row -> assertThat(row.result()).isEqualTo("bad"));
    }

    @Test
    void anUndecidedMailIsTempfailedAndTheRetryIsAnsweredFromTheStore() throws Exception {
        String subject = MailFate.unique("slow");
        // MIMEDefang names the part files itself: the content marks the sample slow.
        byte[] content = (ExecutionCountingRule.SLOW_PREFIX + UUID.randomUUID() + "\n" + MARKER + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        MimeMessage mail = mails.mail(subject, "Statement attached.\n", List.of(
                new Attachment("statement.txt", NameEncoding.QUOTED, "text/plain", content)));

        SmtpReply first = send(mail);

        assertTempfailed(first, subject);
        StoredAnalysis finished = MailFate.awaitFinished(() -> peekaboo.analysesOfContent(content),
                SLOW.multipliedBy(3));
        assertThat(finished.result()).isEqualTo("bad");

        SmtpReply retry = send(mail);

        assertRejected(retry, subject, "Peekaboo.known");
    }

    @Test
    void peekabooStoppedTempfailsTheMail() throws Exception {
        String subject = MailFate.unique("stopped");
        Path dir = work.open("stopped-mimedefang");
        try (ClamdPeekaboo own = ClamdPeekaboo.start(work.open("stopped-peekaboo"), MimeDefangInstance.spoolDir(dir),
                REPLY_DEADLINE, SLOW, ClamdProfile.GENERIC, Optional.of(MimeDefangInstance.USER));
             MimeDefangInstance md = MimeDefangInstance.start(dir, own.clamdSocket());
             PostfixInstance mta = PostfixInstance.start(work.open("stopped-postfix"), md.milter(), sink.port())) {
            own.close();

            SmtpReply reply = new SmtpClient(mta.port(), Duration.ofSeconds(120)).send(TestMails.FROM, TestMails.TO,
                    mails.mail(subject, "Hello.\n", List.of(Attachment.text("a.txt", "hello\n"))));

            assertTempfailed(reply, subject);
        }
    }

    private SmtpReply send(MimeMessage mail) throws IOException {
        return new SmtpClient(postfix.port(), Duration.ofSeconds(120)).send(TestMails.FROM, TestMails.TO, mail);
    }

    private void assertRejected(SmtpReply reply, String subject, String virusName) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(554);
        assertThat(reply.text()).as("%s", reply).contains("Peekaboo found " + virusName);
        assertThat(sink.messagesContaining(subject)).as("delivered although rejected").isEmpty();
    }

    private void assertTempfailed(SmtpReply reply, String subject) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(451);
        assertThat(reply.text()).as("%s", reply).contains("Attachment not judged yet, try again later");
        assertThat(sink.messagesContaining(subject)).as("delivered although tempfailed").isEmpty();
    }
}
