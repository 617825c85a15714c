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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.Attachment.NameEncoding;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * Exim 4.96 (Debian's exim4-daemon-heavy) with {@code av_scanner = clamd:…} and the malware
 * ACL against Peekaboo's clamd front end (profile {@code exim}), over both of Exim's clamd
 * transports: the Unix socket, where Exim names its spool copy of the message with
 * {@code SCAN}, and TCP, where it streams the message with {@code zINSTREAM}. Clean mail is
 * delivered to the sink, what Peekaboo finds is refused with 550 naming the rule, and an
 * undecided message or a Peekaboo that is not there is deferred (451) and never delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EximClamdIT {
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(5);
    private static final Duration SLOW = Duration.ofSeconds(10);
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;

    enum Transport { SOCKET, TCP }

    private TestWorkDir work;
    private SmtpSink sink;
    private ClamdPeekaboo peekaboo;
    private EximInstance eximSocket;
    private EximInstance eximTcp;
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (EximInstance exim : new EximInstance[] {eximSocket, eximTcp}) {
                if (exim != null) {
                    System.err.println("--- Exim on port " + exim.port() + " ---\n" + exim.logs() + "--- end ---");
                }
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-exim-");
        sink = SmtpSink.start();
        Path socketSide = work.open("exim-socket");
        peekaboo = ClamdPeekaboo.start(work.open("peekaboo"), EximInstance.scanDir(socketSide), REPLY_DEADLINE,
                SLOW);
        eximSocket = EximInstance.start(socketSide, peekaboo.socketScanner(), sink.port());
        eximTcp = EximInstance.start(work.open("exim-tcp"), peekaboo.tcpScanner(), sink.port());
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; ClamdPeekaboo p = peekaboo; EximInstance e1 = eximSocket;
             EximInstance e2 = eximTcp) {
            // closed in reverse order: the Exims first, the directories last
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCleanMailIsAcceptedAndDelivered(Transport transport) throws Exception {
        String subject = MailFate.unique("clean");

        SmtpReply reply = send(transport, mails.mail(subject, "The minutes follow tomorrow.\n",
                List.of(Attachment.text("minutes-" + UUID.randomUUID() + ".txt", "nothing to see\n"))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        ReceivedMail delivered = MailFate.awaitDelivery(sink, subject);
        assertThat(delivered.text()).contains("The minutes follow tomorrow.");
        assertThat(delivered.rcptTo()).containsExactly(TestMails.TO);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAttachmentWithTheMarkerIsRefusedNamingTheRule(Transport transport) throws IOException {
        String subject = MailFate.unique("marker");
        String name = "invoice-" + UUID.randomUUID() + ".txt";

        SmtpReply reply = send(transport, mails.mail(subject, "Please pay.\n",
                List.of(Attachment.text(name, "Amount due.\n" + MARKER + "\n"))));

        assertRefused(reply, subject, "Peekaboo.contains_peekabooyar");
        assertThat(peekaboo.analysesOfAttachment(name)).as("the attachment was judged as a member of the message")
                .singleElement().satisfies(row -> assertThat(row.result()).isEqualTo("bad"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMacroDropperIsRefused(Transport transport) throws IOException {
        String subject = MailFate.unique("macro dropper");
        String name = "Rechnung-" + UUID.randomUUID() + ".doc";
        byte[] dropper = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Private Sub Document_Open()",
                "  CreateObject(\"WScript.Shell\").Run \"powershell -w hidden -enc SQBFAFgA\", 0",
                "End Sub"));

        SmtpReply reply = send(transport, mails.mail(subject, "Ihre Rechnung, bitte Inhalte aktivieren.\n",
                List.of(new Attachment(name, NameEncoding.QUOTED, "application/msword", dropper))));

        assertRefused(reply, subject, "Peekaboo.office_macro");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUndecidedMailIsDeferredAndTheRetryIsAnsweredFromTheStore(Transport transport) throws Exception {
        String subject = MailFate.unique("slow");
        String name = ExecutionCountingRule.SLOW_PREFIX + "statement-" + UUID.randomUUID() + ".txt";
        MimeMessage mail = mails.mail(subject, "Statement attached.\n",
                List.of(Attachment.text(name, "statement\n" + MARKER + "\n")));

        SmtpReply first = send(transport, mail);

        assertDeferred(first, subject);
        StoredAnalysis finished = MailFate.awaitFinished(() -> peekaboo.analysesOfAttachment(name), SLOW.multipliedBy(3));
        assertThat(finished.result()).isEqualTo("bad");

        // Exim's copy differs on every attempt (new message id, Received header), but the
        // attachment's bytes are the same: the store answers for them at once.
        SmtpReply retry = send(transport, mail);

        assertRefused(retry, subject, "Peekaboo.known");
        assertThat(peekaboo.executions(name)).as("analysed once, the retry read the store").isEqualTo(1);
        List<StoredAnalysis> rows = peekaboo.analysesOfAttachment(name);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).rules()).as("decided by the stored verdict alone").containsExactly("known");
    }

    @Test
    void peekabooStoppedDefersTheMail() throws Exception {
        Path dir = work.open("stopped");
        Path eximDir = dir.resolve("exim");
        String subjectBefore = MailFate.unique("before stop");
        String subject = MailFate.unique("stopped");
        try (ClamdPeekaboo own = ClamdPeekaboo.start(work.open("stopped-peekaboo"), EximInstance.scanDir(eximDir),
                REPLY_DEADLINE, SLOW);
             EximInstance exim = EximInstance.start(eximDir, own.tcpScanner(), sink.port())) {
            SmtpReply running = client(exim).send(TestMails.FROM, TestMails.TO,
                    mails.mail(subjectBefore, "Hello.\n", List.of()));
            assertThat(running.code()).as("while Peekaboo runs: %s", running).isEqualTo(250);

            own.close();

            SmtpReply reply = client(exim).send(TestMails.FROM, TestMails.TO,
                    mails.mail(subject, "Hello again.\n", List.of()));
            assertDeferred(reply, subject);
            assertThat(exim.mainLog()).contains("malware acl condition");
        }
        MailFate.awaitDelivery(sink, subjectBefore);
    }

    private SmtpReply send(Transport transport, MimeMessage mail) throws IOException {
        return client(transport == Transport.SOCKET ? eximSocket : eximTcp).send(TestMails.FROM, TestMails.TO, mail);
    }

    private static SmtpClient client(EximInstance exim) {
        return new SmtpClient(exim.port(), Duration.ofSeconds(150));
    }

    private void assertRefused(SmtpReply reply, String subject, String virusName) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(550);
        assertThat(reply.text()).as("%s", reply).startsWith("This message contains malware (" + virusName);
        assertThat(sink.messagesContaining(subject)).as("delivered although refused").isEmpty();
    }

    private void assertDeferred(SmtpReply reply, String subject) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(451);
        assertThat(sink.messagesContaining(subject)).as("delivered although deferred").isEmpty();
    }
}
