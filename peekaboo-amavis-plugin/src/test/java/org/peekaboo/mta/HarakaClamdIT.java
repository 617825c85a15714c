package org.peekaboo.mta;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * Haraka 3.3 (npm) with {@code haraka-plugin-clamd} 1.0 against Peekaboo's clamd front end
 * (profile {@code generic}) over TCP: the plugin streams the whole message with
 * {@code zINSTREAM} after a synthetic Received line. Clean mail is forwarded to the sink, what
 * Peekaboo finds is refused with 550 naming the rule, and an undecided message or a Peekaboo
 * that is not there is refused with 450 (the plugin's DENYSOFT) and never forwarded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HarakaClamdIT {
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(5);
    private static final Duration SLOW = Duration.ofSeconds(10);
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;
    private static final String DOMAIN = TestMails.TO.substring(TestMails.TO.indexOf('@') + 1);

    private TestWorkDir work;
    private SmtpSink sink;
    private ClamdPeekaboo peekaboo;
    private HarakaInstance haraka;
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (haraka != null) {
                System.err.println("--- Haraka on port " + haraka.port() + " ---\n" + haraka.logs() + "--- end ---");
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-haraka-");
        sink = SmtpSink.start();
        Path peekabooDir = work.open("peekaboo");
        peekaboo = ClamdPeekaboo.start(peekabooDir, peekabooDir, REPLY_DEADLINE, SLOW, ClamdProfile.GENERIC);
        haraka = HarakaInstance.start(work.open("haraka"), "127.0.0.1:" + peekaboo.clamdPort(), DOMAIN, sink.port());
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; ClamdPeekaboo p = peekaboo; HarakaInstance h = haraka) {
            // closed in reverse order: Haraka first, the directory last
        }
    }

    @Test
    void aCleanMailIsAcceptedAndForwarded() throws Exception {
        String subject = MailFate.unique("clean");

        SmtpReply reply = send(haraka, mails.mail(subject, "The minutes follow tomorrow.\n",
                List.of(Attachment.text("minutes-" + UUID.randomUUID() + ".txt", "nothing to see\n"))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        ReceivedMail delivered = MailFate.awaitDelivery(sink, subject);
        assertThat(delivered.text()).contains("The minutes follow tomorrow.");
    }

    @Test
    void anAttachmentWithTheMarkerIsRefusedNamingTheRule() throws IOException {
        String subject = MailFate.unique("marker");
        String name = "invoice-" + UUID.randomUUID() + ".txt";

        SmtpReply reply = send(haraka, mails.mail(subject, "Please pay.\n",
                List.of(Attachment.text(name, "Amount due.\n" + MARKER + "\n"))));

        assertRefused(reply, subject, "Peekaboo.contains_peekabooyar");
        assertThat(peekaboo.analysesOfAttachment(name)).singleElement()
                .satisfies(row -> assertThat(row.result()).isEqualTo("bad"));
    }

    @Test
    void aMacroDropperInAZipIsRefused() throws IOException {
        String subject = MailFate.unique("zipped macro dropper");
        byte[] dropper = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Private Sub Document_Open()",
                "  CreateObject(\"WScript.Shell\").Run \"powershell -w hidden -enc SQBFAFgA\", 0",
                "End Sub"));

        SmtpReply reply = send(haraka, mails.mail(subject, "Rechnung im Anhang.\n", List.of(
                Attachment.zip("Rechnung-" + UUID.randomUUID() + ".zip", "Rechnung.doc", dropper))));

        assertRefused(reply, subject, "Peekaboo.office_macro");
    }

    @Test
    void anUndecidedMailIsRefusedForNowAndTheRetryIsAnsweredFromTheStore() throws Exception {
        String subject = MailFate.unique("slow");
        String name = ExecutionCountingRule.SLOW_PREFIX + "statement-" + UUID.randomUUID() + ".txt";
        MimeMessage mail = mails.mail(subject, "Statement attached.\n",
                List.of(Attachment.text(name, "statement\n" + MARKER + "\n")));

        SmtpReply first = send(haraka, mail);

        assertDeferred(first, subject);
        StoredAnalysis finished = MailFate.awaitFinished(() -> peekaboo.analysesOfAttachment(name), SLOW.multipliedBy(3));
        assertThat(finished.result()).isEqualTo("bad");

        SmtpReply retry = send(haraka, mail);

        assertRefused(retry, subject, "Peekaboo.known");
        assertThat(peekaboo.executions(name)).as("analysed once, the retry read the store").isEqualTo(1);
    }

    @Test
    void peekabooStoppedRefusesTheMailForNow() throws Exception {
        String subjectBefore = MailFate.unique("before stop");
        String subject = MailFate.unique("stopped");
        Path own = work.open("stopped-peekaboo");
        try (ClamdPeekaboo stopped = ClamdPeekaboo.start(own, own, REPLY_DEADLINE, SLOW, ClamdProfile.GENERIC);
             HarakaInstance instance = HarakaInstance.start(work.open("stopped-haraka"),
                     "127.0.0.1:" + stopped.clamdPort(), DOMAIN, sink.port())) {
            SmtpReply running = send(instance, mails.mail(subjectBefore, "Hello.\n", List.of()));
            assertThat(running.code()).as("while Peekaboo runs: %s", running).isEqualTo(250);

            stopped.close();

            SmtpReply reply = send(instance, mails.mail(subject, "Hello again.\n", List.of()));
            assertDeferred(reply, subject);
            assertThat(instance.logs()).contains("Error connecting to virus scanner");
        }
        MailFate.awaitDelivery(sink, subjectBefore);
    }

    private static SmtpReply send(HarakaInstance instance, MimeMessage mail) throws IOException {
        return new SmtpClient(instance.port(), Duration.ofSeconds(90)).send(TestMails.FROM, TestMails.TO, mail);
    }

    private void assertRefused(SmtpReply reply, String subject, String virusName) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(550);
        assertThat(reply.text()).as("%s", reply).startsWith("Message is infected with " + virusName);
        assertThat(sink.messagesContaining(subject)).as("forwarded although refused").isEmpty();
    }

    private void assertDeferred(SmtpReply reply, String subject) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(450);
        assertThat(sink.messagesContaining(subject)).as("forwarded although deferred").isEmpty();
    }
}
