package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.peekaboo.amavis.testing.AmavisInstance;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.Attachment.NameEncoding;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.InProcessPeekaboo;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.ShowLogsOnFailure;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.office.testing.OfficeFiles;

/**
 * Real SMTP mail through a real amavisd-new with the Peekaboo plugin and policy, judged by a
 * running Peekaboo: what the sending MTA is told, what reaches the next hop, and what
 * Peekaboo stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmavisWithPeekabooIT {
    static final String MARKER = "X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*";
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    private static final Duration SLOW = Duration.ofSeconds(6);
    private static final int QUEUE_ATTEMPTS = 5;

    private TestWorkDir work;
    private SmtpSink sink;
    private InProcessPeekaboo peekaboo;
    private AmavisInstance amavis;
    private SmtpClient client;
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final ShowLogsOnFailure logs = new ShowLogsOnFailure(() -> amavis);

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-amavis-");
        sink = SmtpSink.start();
        Path amavisTemp = work.path().resolve("amavis").resolve("tmp");
        peekaboo = InProcessPeekaboo.start(work.open("peekaboo"), amavisTemp, DEADLINE, SLOW);
        amavis = AmavisInstance.start(work.path(), pluginDir(), peekaboo.socket().toString(), sink.port(), List.of());
        client = new SmtpClient(amavis.port(), Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; InProcessPeekaboo p = peekaboo; AmavisInstance a = amavis) {
            // closed in reverse order: amavis first, the directories last
        }
    }

    static Path pluginDir() {
        return Path.of(System.getProperty("peekaboo.amavis.confDir", "src/main/amavis/conf.d"));
    }

    @Test
    void aCleanTextMailIsDeliveredAndMarkedScanned() throws Exception {
        String subject = unique("clean text");
        long before = peekaboo.lastJobId();

        SmtpReply reply = send(mails.mail(subject, "Dear colleague,\nthe minutes follow tomorrow.\n", List.of()));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        ReceivedMail delivered = deliveredOnce(subject);
        assertThat(delivered.header("X-Virus-Scanned")).as("X-Virus-Scanned").isNotBlank();
        assertThat(delivered.text()).contains("the minutes follow tomorrow.");
        assertThat(delivered.message().getSubject()).as("not tagged unchecked").isEqualTo(subject);
        assertThat(delivered.rcptTo()).containsExactly(TestMails.TO);
        assertThat(peekaboo.analysesAfter(before)).as("the body was analysed").isNotEmpty()
                .allSatisfy(row -> assertThat(row.result()).isIn("ignored", "unknown", "good"));
    }

    @Test
    void anAttachmentWithTheMarkerIsRejected() throws IOException {
        String subject = unique("marker");
        String name = "invoice-" + UUID.randomUUID() + ".txt";

        SmtpReply reply = send(mails.mail(subject, "Please pay.\n",
                List.of(Attachment.text(name, "Amount due.\n" + MARKER + "\n"))));

        assertRejected(reply, subject);
        assertThat(reply.text()).as("amavis names what Peekaboo found").contains("Peekaboo.contains_peekabooyar");
        assertThat(peekaboo.analysesOf(name)).singleElement().satisfies(row -> {
            assertThat(row.result()).isEqualTo("bad");
            assertThat(row.rules()).endsWith("contains_peekabooyar");
        });
    }

    @Test
    void theMarkerInsideAZipIsRejected() throws IOException {
        String subject = unique("zip marker");
        String member = "payload-" + UUID.randomUUID() + ".txt";

        SmtpReply reply = send(mails.mail(subject, "The archive you asked for.\n",
                List.of(Attachment.zip("archive.zip", member, "inside\n" + MARKER + "\n"))));

        assertRejected(reply, subject);
        // amavis unpacks the archive and asks about the member, declared by its path in the zip.
        assertThat(peekaboo.analysesOf(member)).singleElement()
                .satisfies(row -> assertThat(row.result()).isEqualTo("bad"));
    }

    @Test
    void aMacroDropperIsRejectedByTheBuiltInRuleset() throws IOException {
        String subject = unique("macro dropper");
        String name = "Rechnung-" + UUID.randomUUID() + ".doc";
        byte[] dropper = OfficeFiles.doc(OfficeFiles.module("ThisDocument", "Private Sub Document_Open()",
                "  CreateObject(\"WScript.Shell\").Run \"powershell -w hidden -enc SQBFAFgA\", 0",
                "End Sub"));

        SmtpReply reply = send(mails.mail(subject, "Ihre Rechnung, bitte Inhalte aktivieren.\n",
                List.of(new Attachment(name, NameEncoding.QUOTED, "application/msword", dropper))));

        // No sandbox, no configuration beyond the shipped one: the default ruleset decides by itself.
        assertRejected(reply, subject);
        assertThat(reply.text()).contains("Peekaboo.office_macro_dropper");
        assertThat(peekaboo.analysesOf(name)).singleElement().satisfies(row -> {
            assertThat(row.result()).isEqualTo("bad");
            assertThat(row.reason()).contains("Document_Open");
        });
    }

    @Test
    void anEncryptedZipAmavisCannotOpenIsOpenedWithThePasswordInTheBodyAndRejected() throws IOException {
        String subject = unique("encrypted zip");
        String member = "rechnung-" + UUID.randomUUID() + ".txt";
        String name = "rechnung-" + UUID.randomUUID() + ".zip";

        SmtpReply reply = send(mails.mail(subject, "Ihre Rechnung liegt bei. Das Passwort lautet: Xy-77!\n",
                List.of(Attachment.encryptedZip(name, "Xy-77!", member, "inside\n" + MARKER + "\n"))));

        // amavis cannot decrypt the zip and hands it over packed, with the body as a text part;
        // Peekaboo opens it with the word from the body and finds the marker.
        assertRejected(reply, subject);
        assertThat(reply.text()).as("a virus, not only content amavis could not check")
                .contains("Peekaboo.contains_peekabooyar");
        assertThat(peekaboo.analysesOf(name + "/" + member)).singleElement()
                .satisfies(row -> assertThat(row.result()).isEqualTo("bad"));
    }

    @Test
    void severalAttachmentsAreDeliveredAndEveryPartIsAnalysedOnce() throws IOException {
        String subject = unique("several");
        String id = UUID.randomUUID().toString();
        String text = "notes-" + id + ".txt";
        String member = "readme-" + id + ".txt";
        long before = peekaboo.lastJobId();

        SmtpReply reply = send(mails.mail(subject, "Everything for the meeting.\n", List.of(
                Attachment.text(text, "Agenda " + id + "\n"),
                Attachment.resource("logo.png", "image/png"),
                Attachment.resource("minutes.pdf", "application/pdf"),
                Attachment.zip("bundle-" + id + ".zip", member, "read me " + id + "\n"))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        ReceivedMail delivered = deliveredOnce(subject);
        assertThat(delivered.header("X-Virus-Scanned")).isNotBlank();
        List<StoredAnalysis> rows = peekaboo.analysesAfter(before);
        // One analysis per part file: the body, three attachments and the zip's member (amavis
        // deletes the archive once unpacked); none asked about twice, none forgotten.
        assertThat(rows).extracting(StoredAnalysis::nameDeclared)
                .containsExactlyInAnyOrder(null, text, "logo.png", "minutes.pdf", member);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.state()).isEqualTo("FINISHED");
            assertThat(row.result()).isIn("ignored", "unknown", "good");
        });
        assertThat(peekaboo.executions(text)).isEqualTo(1);
        assertThat(peekaboo.executions(member)).isEqualTo(1);
        assertThat(rows.stream().filter(row -> "logo.png".equals(row.nameDeclared())))
                .singleElement().satisfies(row -> {
                    assertThat(row.typeDeclared()).isEqualTo("image/png");
                    assertThat(row.contentDisposition()).isEqualTo("attachment");
                });
    }

    @ParameterizedTest
    @EnumSource(value = NameEncoding.class, names = {"RFC2231", "RFC2047"})
    void nonAsciiNamesAreStoredDecoded(NameEncoding encoding) throws IOException {
        String subject = unique("names " + encoding);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String pdfName = "Größe €-Rechnung " + tag + ".pdf";
        String textName = "Отчёт-東京-" + tag + ".txt";

        SmtpReply reply = send(mails.mail(subject, "Names from abroad.\n", List.of(
                Attachment.resource("minutes.pdf", "application/pdf").withName(pdfName).withEncoding(encoding),
                Attachment.text(textName, "report " + tag + "\n").withEncoding(encoding))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        deliveredOnce(subject);
        assertThat(peekaboo.analysesOf(pdfName)).as("stored as %s", pdfName).hasSize(1);
        assertThat(peekaboo.analysesOf(textName)).as("stored as %s", textName).hasSize(1);
    }

    @Test
    void aSampleOutlastingTheDeadlineIsTempfailedAndTheRetryIsAnsweredFromTheStore() throws Exception {
        String subject = unique("slow");
        String name = ExecutionCountingRule.SLOW_PREFIX + "statement-" + UUID.randomUUID() + ".txt";
        MimeMessage mail = mails.mail(subject, "Statement attached.\n",
                List.of(Attachment.text(name, "statement\n" + MARKER + "\n")));

        SmtpReply first = send(mail);

        assertThat(first.code()).as("%s", first).isEqualTo(451);
        assertThat(peekaboo.analysesOf(name)).as("answered at the deadline, while the analysis still runs")
                .singleElement().satisfies(row -> assertThat(row.state()).isEqualTo("RUNNING"));
        assertThat(sink.messagesContaining(subject)).isEmpty();

        StoredAnalysis finished = awaitFinished(name, SLOW.multipliedBy(3));
        assertThat(finished.result()).isEqualTo("bad");

        SmtpReply retry = send(mail);

        assertRejected(retry, subject);
        assertThat(peekaboo.executions(name)).as("analysed once, the retry read the store").isEqualTo(1);
        List<StoredAnalysis> rows = peekaboo.analysesOf(name);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).result()).isEqualTo("bad");
        assertThat(rows.get(0).rules()).contains(ExecutionCountingRule.NAME).endsWith("contains_peekabooyar");
        assertThat(rows.get(1).rules()).as("decided by the stored verdict alone").containsExactly("known");
    }

    @Test
    void aMailWithOneHundredAttachmentsGetsItsVerdictWithinTheDeadline() throws IOException {
        String subject = unique("hundred");
        String id = UUID.randomUUID().toString();
        List<Attachment> attachments = new ArrayList<>(IntStream.range(0, 100)
                .mapToObj(i -> Attachment.text("part-" + i + "-" + id + ".txt", "part " + i + " of " + id + "\n"))
                .toList());
        String marked = "part-77-" + id + ".txt";
        attachments.set(77, Attachment.text(marked, "part 77 " + id + "\n" + MARKER + "\n"));
        long before = peekaboo.lastJobId();

        SmtpReply reply = sendAsAQueueWould(mails.mail(subject, "A hundred parts.\n", attachments));

        assertRejected(reply, subject);
        List<StoredAnalysis> rows = peekaboo.analysesAfter(before).stream()
                .filter(row -> row.nameDeclared() != null && row.nameDeclared().endsWith(id + ".txt")).toList();
        assertThat(rows.stream().map(StoredAnalysis::nameDeclared).distinct()).as("parts analysed").hasSize(100);
        assertThat(rows).filteredOn(row -> row.result().equals("bad")).extracting(StoredAnalysis::nameDeclared)
                .isNotEmpty().containsOnly(marked);
    }

    @Test
    void aMailWithMorePartsThanAmavisCanReadTheFullReportOfIsStillDelivered() throws IOException {
        // ~660 bytes of report per part would exceed the ~100 KB amavis reads; the reply
        // budget keeps the final line within it, so the mail is judged instead of tempfailed.
        String subject = unique("two-hundred");
        String id = UUID.randomUUID().toString();
        List<Attachment> attachments = IntStream.range(0, 200)
                .mapToObj(i -> Attachment.text("many-" + i + "-" + id + ".txt", "part " + i + " of " + id + "\n"))
                .toList();

        SmtpReply reply = sendAsAQueueWould(mails.mail(subject, "Two hundred parts.\n", attachments));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        assertThat(deliveredOnce(subject).header("X-Virus-Scanned")).isNotNull();
    }

    /**
     * Sends {@code mail} again while it is tempfailed, as the sending MTA's queue would: on a
     * busy machine a mail of many parts may outlast the short deadline of these tests, and the
     * retry is then answered from the stored results. Gives up after a few attempts.
     */
    private SmtpReply sendAsAQueueWould(MimeMessage mail) throws IOException {
        SmtpReply reply = send(mail);
        for (int attempt = 1; attempt < QUEUE_ATTEMPTS && reply.code() == 451; attempt++) {
            reply = send(mail);
        }
        return reply;
    }

    private SmtpReply send(MimeMessage mail) throws IOException {
        return client.send(TestMails.FROM, TestMails.TO, mail);
    }

    private void assertRejected(SmtpReply reply, String subject) {
        assertThat(reply.code()).as("%s", reply).isEqualTo(554);
        assertThat(reply.text()).as("%s", reply).startsWith("5.7.0").contains("INFECTED");
        assertThat(sink.messagesContaining(subject)).as("delivered although rejected").isEmpty();
    }

    private ReceivedMail deliveredOnce(String subject) {
        List<ReceivedMail> delivered = sink.messagesContaining(subject);
        assertThat(delivered).as("messages with subject %s", subject).hasSize(1);
        return delivered.get(0);
    }

    private StoredAnalysis awaitFinished(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<StoredAnalysis> finished = peekaboo.analysesOf(name).stream()
                    .filter(row -> row.state().equals("FINISHED")).toList();
            if (!finished.isEmpty()) {
                return finished.get(0);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the analysis of " + name + " did not finish within " + timeout.toSeconds() + " s: "
                + peekaboo.analysesOf(name));
    }

    private static String unique(String what) {
        return "IT " + what + " " + UUID.randomUUID();
    }
}
