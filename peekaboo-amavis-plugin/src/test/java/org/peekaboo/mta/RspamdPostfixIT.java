package org.peekaboo.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.mta.MailFate.assertRefusedAtEndOfData;
import static org.peekaboo.mta.MailFate.awaitDelivery;
import static org.peekaboo.mta.MailFate.awaitFinished;
import static org.peekaboo.mta.MailFate.unique;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.office.testing.OfficeFiles;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * Postfix → rspamd 3.4's proxy worker as a milter → rspamd's antivirus module (type
 * {@code clamav}) → Peekaboo's clamd front end with profile {@code rspamd}, with the shipped
 * {@code config/rspamd/local.d}: once per attachment ({@code scan_mime_parts = true}) and once
 * with the whole message in one request. Clean mail is delivered, what Peekaboo finds is
 * rejected at the end of DATA naming the rule, an attachment not judged within the reply
 * deadline is soft-rejected and its retry answered from the store, and a Peekaboo that is not
 * there soft-rejects every mail with an attachment: rspamd, which fails open by default, never
 * lets such a mail through with the shipped files. Without rspamd, Postfix refuses every mail
 * ({@code milter_default_action = tempfail}).
 *
 * <p>Attachments go as {@code application/octet-stream} or their real type: rspamd skips text
 * and image parts when it scans per part ({@code scan_text_mime}, {@code scan_image_mime}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RspamdPostfixIT {
    /** Below the 5 s {@code timeout} of the shipped antivirus.conf, with room for a busy machine. */
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(3);
    private static final Duration SLOW = Duration.ofSeconds(8);
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;
    private static final String OCTETS = "application/octet-stream";

    enum Scan {
        PER_PART(true), WHOLE_MESSAGE(false);

        final boolean scanMimeParts;

        Scan(boolean scanMimeParts) {
            this.scanMimeParts = scanMimeParts;
        }
    }

    private TestWorkDir work;
    private SmtpSink sink;
    private ClamdPeekaboo peekaboo;
    private final Map<Scan, MilterPipeline<RspamdInstance>> pipelines = new EnumMap<>(Scan.class);
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            pipelines.forEach((scan, pipeline) -> System.err.println("--- Postfix and rspamd, " + scan + " ---\n"
                    + pipeline.logs() + "--- end ---"));
        }
    };

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-rspamd-");
        sink = SmtpSink.start();
        peekaboo = ClamdPeekaboo.start(work.open("peekaboo"), work.open("nothing-by-path"), REPLY_DEADLINE, SLOW,
                ClamdProfile.RSPAMD);
        for (Scan scan : Scan.values()) {
            pipelines.put(scan, pipeline(work.open(scan.name().toLowerCase()), peekaboo, scan));
        }
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; ClamdPeekaboo p = peekaboo) {
            for (MilterPipeline<RspamdInstance> pipeline : pipelines.values()) {
                pipeline.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Scan.class)
    void aCleanMailIsDelivered(Scan scan) throws Exception {
        String subject = unique("clean " + scan);
        byte[] minutes = ("Minutes " + UUID.randomUUID() + "\nnothing to see\n").getBytes(StandardCharsets.UTF_8);

        SmtpReply reply = send(scan, mails.mail(subject, "The minutes follow.\n",
                List.of(new Attachment("minutes.bin", NameEncoding.QUOTED, OCTETS, minutes))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        ReceivedMail delivered = awaitDelivery(sink, subject);
        assertThat(delivered.text()).contains("The minutes follow.");
        assertThat(peekaboo.analysesOfContent(minutes)).as("Peekaboo was asked about the attachment")
                .singleElement().satisfies(row -> assertThat(row.result()).isNotEqualTo("bad"));
    }

    @ParameterizedTest
    @EnumSource(Scan.class)
    void theMarkerIsRejectedNamingTheRule(Scan scan) throws IOException {
        String subject = unique("marker " + scan);
        // Bytes of their own: bytes judged before are answered by the rule "known".
        byte[] invoice = ("Amount due " + UUID.randomUUID() + "\n" + MARKER + "\n").getBytes(StandardCharsets.UTF_8);

        SmtpReply reply = send(scan, mails.mail(subject, "Please pay.\n",
                List.of(new Attachment("invoice.bin", NameEncoding.QUOTED, OCTETS, invoice))));

        assertRejected(reply, subject, "Peekaboo.contains_peekabooyar");
    }

    @ParameterizedTest
    @EnumSource(Scan.class)
    void aTextAttachmentWithTheMarkerIsRejected(Scan scan) throws IOException {
        String subject = unique("text attachment " + scan);

        SmtpReply reply = send(scan, mails.mail(subject, "Notes attached.\n", List.of(Attachment.text("notes.txt",
                "Notes " + UUID.randomUUID() + "\n" + MARKER + "\n"))));

        assertRejected(reply, subject, "Peekaboo.contains_peekabooyar");
    }

    /**
     * Per part, rspamd sends attachments only ({@code scan_text_mime = false}): the text of the
     * mail itself never reaches Peekaboo. The whole message does.
     */
    @ParameterizedTest
    @EnumSource(Scan.class)
    void theMailTextItselfIsJudgedOnlyWithTheWholeMessage(Scan scan) throws Exception {
        String subject = unique("marker in the text " + scan);

        SmtpReply reply = send(scan, mails.mail(subject, "Hello " + UUID.randomUUID() + "\n" + MARKER + "\n",
                List.of()));

        if (scan == Scan.PER_PART) {
            assertThat(reply.code()).as("%s", reply).isEqualTo(250);
            awaitDelivery(sink, subject);
        } else {
            assertRejected(reply, subject, "Peekaboo.contains_peekabooyar");
        }
    }

    @ParameterizedTest
    @EnumSource(Scan.class)
    void aMacroDocumentInsideAZipIsRejected(Scan scan) throws IOException {
        String subject = unique("zipped macro " + scan);
        byte[] dropper = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Private Sub Document_Open()",
                "  ' " + UUID.randomUUID(),
                "  CreateObject(\"WScript.Shell\").Run \"powershell -w hidden -enc SQBFAFgA\", 0",
                "End Sub"));

        SmtpReply reply = send(scan, mails.mail(subject, "Ihre Rechnung im Anhang.\n",
                List.of(Attachment.zip("Rechnung.zip", "Rechnung.doc", dropper))));

        assertRejected(reply, subject, "Peekaboo.office_macro");
    }

    @ParameterizedTest
    @EnumSource(Scan.class)
    void anUndecidedAttachmentIsSoftRejectedAndTheRetryIsAnsweredFromTheStore(Scan scan) throws Exception {
        String subject = unique("slow " + scan);
        // A streamed part has no name: the test rule holds samples whose content starts "slow-".
        String name = ExecutionCountingRule.SLOW_PREFIX + "statement-" + UUID.randomUUID() + ".bin";
        byte[] statement = (ExecutionCountingRule.SLOW_PREFIX + UUID.randomUUID() + "\nstatement\n" + MARKER + "\n")
                .getBytes(StandardCharsets.UTF_8);
        MimeMessage mail = mails.mail(subject, "Statement attached.\n",
                List.of(new Attachment(name, NameEncoding.QUOTED, OCTETS, statement)));

        SmtpReply first = send(scan, mail);

        assertSoftRejected(first, subject);
        StoredAnalysis finished = awaitFinished(() -> peekaboo.analysesOfContent(statement), SLOW.multipliedBy(3));
        assertThat(finished.result()).isEqualTo("bad");

        // The sender's retry: Postfix and rspamd see a new message, Peekaboo the same bytes.
        SmtpReply retry = send(scan, mail);

        assertRejected(retry, subject, "Peekaboo.known");
        List<StoredAnalysis> rows = peekaboo.analysesOfContent(statement);
        assertThat(rows).as("one analysis and one answer from the store").hasSize(2);
        assertThat(rows.get(0).rules()).as("analysed").contains(ExecutionCountingRule.NAME);
        assertThat(rows.get(1).rules()).as("decided by the stored verdict alone").containsExactly("known");
        if (scan == Scan.WHOLE_MESSAGE) {
            // Inside a whole message the attachment keeps its name, which the test rule counts.
            assertThat(peekaboo.executions(name)).as("analysed once, the retry read the store").isEqualTo(1);
        }
    }

    @Test
    void peekabooOrRspamdStoppedSoftRejectsAndNeverDelivers() throws Exception {
        Path dir = work.open("stopped");
        String subjectBefore = unique("before stop");
        String subject = unique("stopped");
        String subjectWithoutRspamd = unique("rspamd stopped");
        try (ClamdPeekaboo own = ClamdPeekaboo.start(work.open("stopped-peekaboo"), work.open("stopped-nothing"),
                REPLY_DEADLINE, SLOW, ClamdProfile.RSPAMD);
             MilterPipeline<RspamdInstance> pipeline = pipeline(dir, own, Scan.PER_PART)) {
            try {
                // Per part, only a mail with an attachment reaches Peekaboo.
                SmtpReply running = pipeline.send(mails.mail(subjectBefore, "Hello.\n", List.of(octets("hello.bin"))));
                assertThat(running.code()).as("while Peekaboo runs: %s", running).isEqualTo(250);

                own.close();

                SmtpReply reply = pipeline.send(mails.mail(subject, "Hello again.\n", List.of(octets("again.bin"))));
                assertSoftRejected(reply, subject);

                // And without rspamd, Postfix's milter_default_action = tempfail holds the mail.
                pipeline.milter().close();
                SmtpReply withoutRspamd = pipeline.send(mails.mail(subjectWithoutRspamd, "Hello once more.\n",
                        List.of()));
                // Postfix asks the milter from the connection on: without one it refuses at MAIL FROM.
                assertThat(withoutRspamd.stage()).as("%s", withoutRspamd).isEqualTo("MAIL");
                assertThat(withoutRspamd.code()).as("%s", withoutRspamd).isEqualTo(451);
                assertThat(sink.messagesContaining(subjectWithoutRspamd)).as("delivered without a milter").isEmpty();

                awaitDelivery(sink, subjectBefore);
                assertThat(sink.messagesContaining(subject)).as("delivered without Peekaboo").isEmpty();
            } catch (AssertionError | RuntimeException e) {
                System.err.println("--- Postfix and rspamd, Peekaboo stopped ---\n" + pipeline.logs() + "--- end ---");
                throw e;
            }
        }
    }

    /**
     * A Peekaboo that takes the connection and never answers (hung, or its machine overloaded):
     * rspamd's scanner gives up after its timeout and one more attempt, and its whole task
     * budget (the shipped options.inc) is larger than both, so the mail gets the fail symbol's
     * soft reject. Without the shipped files rspamd would deliver it.
     */
    @Test
    void aPeekabooThatNeverAnswersSoftRejectsTheWholeMessage() throws Exception {
        String subject = unique("silent scanner");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             MilterPipeline<RspamdInstance> pipeline = MilterPipeline.start(work.open("silent"),
                     milterDir -> RspamdInstance.start(milterDir, "127.0.0.1:" + silent.getLocalPort(),
                             Scan.WHOLE_MESSAGE.scanMimeParts), sink.port())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            try {
                SmtpReply reply = pipeline.send(mails.mail(subject, "Hello.\n", List.of(octets("hello.bin"))));

                assertThat(reply.stage()).as("%s", reply).isEqualTo("end of DATA");
                assertThat(reply.code()).as("%s", reply).isEqualTo(451);
                assertThat(held).as("rspamd asked the silent scanner").isNotEmpty();
                assertThat(sink.messagesContaining(subject)).as("delivered unjudged").isEmpty();
            } catch (AssertionError | RuntimeException e) {
                System.err.println("--- Postfix and rspamd, silent scanner ---\n" + pipeline.logs() + "--- end ---");
                throw e;
            } finally {
                silent.close();
                acceptor.join();
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    private MilterPipeline<RspamdInstance> pipeline(Path dir, ClamdPeekaboo asked, Scan scan) throws IOException {
        return MilterPipeline.start(dir, milterDir -> RspamdInstance.start(milterDir, "127.0.0.1:" + asked.clamdPort(),
                scan.scanMimeParts), sink.port());
    }

    private SmtpReply send(Scan scan, MimeMessage mail) throws IOException {
        return pipelines.get(scan).send(mail);
    }

    private void assertRejected(SmtpReply reply, String subject, String virusName) {
        assertRefusedAtEndOfData(sink, reply, 554, virusName, subject);
    }

    /** What the shipped force_actions.conf answers for PEEKABOO_FAIL. */
    private void assertSoftRejected(SmtpReply reply, String subject) {
        assertRefusedAtEndOfData(sink, reply, 451, "Attachment not judged yet, try again later", subject);
    }

    /** An attachment of bytes no other test sends. */
    private static Attachment octets(String name) {
        return new Attachment(name, NameEncoding.QUOTED, OCTETS,
                (name + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    }
}
