package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peekaboo.amavis.testing.AmavisInstance;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.GarbageServer;
import org.peekaboo.amavis.testing.PeekabooProcess;
import org.peekaboo.amavis.testing.ShowLogsOnFailure;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;

/**
 * Whatever goes wrong between amavis and Peekaboo, the mail is deferred (451) and never
 * delivered: amavis' own default would pass it on unscanned. One amavis serves every case;
 * each case puts something else, or nothing, on the socket it asks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmavisScannerFailureIT {
    private TestWorkDir work;
    private SmtpSink sink;
    private AmavisInstance amavis;
    private SmtpClient client;
    private Path socket;
    private int deliveredBefore;
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final ShowLogsOnFailure logs = new ShowLogsOnFailure(() -> amavis);

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-amavis-fail-");
        socket = work.open("run").resolve("peekaboo.sock");
        sink = SmtpSink.start();
        amavis = AmavisInstance.start(work.path(), AmavisWithPeekabooIT.pluginDir(), socket.toString(), sink.port(),
                List.of());
        client = new SmtpClient(amavis.port(), Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; AmavisInstance a = amavis) {
            // closed in reverse order: amavis first, the directories last
        }
    }

    @BeforeEach
    void nothingOnTheSocket() throws IOException {
        Files.deleteIfExists(socket);
        deliveredBefore = sink.messages().size();
    }

    @Test
    void peekabooNotRunningDefersTheMail() throws IOException {
        String subject = unique("not running");

        SmtpReply reply = send(mailWithAttachment(subject, "report.txt"));

        assertDeferred(reply, subject);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
            "Hello, this is Peekaboo.\n\nFiles are being analyzed...\n",
            "The file collection has been categorized \"maybe\"\n\n",
            "The file collection has been categorized \"good\"\nThe file collection has been categorized \"unchecked\"\n\n",
            "ERROR: Internal error, the files could not be scanned\n"})
    void anAnswerThatIsNotAVerdictDefersTheMail(String answer) throws IOException {
        String subject = unique("garbage");

        SmtpReply reply;
        try (GarbageServer garbage = GarbageServer.start(socket, answer)) {
            reply = send(mailWithAttachment(subject, "report.txt"));
            assertThat(garbage.connections()).as("amavis asked the impostor").isPositive();
        }

        assertDeferred(reply, subject);
    }

    @Test
    void peekabooKilledWhileAmavisWaitsDefersTheMail() throws Exception {
        String subject = unique("killed");
        String name = ExecutionCountingRule.SLOW_PREFIX + "killed-" + UUID.randomUUID() + ".txt";
        MimeMessage mail = mailWithAttachment(subject, name);

        SmtpReply reply;
        try (PeekabooProcess peekaboo = PeekabooProcess.start(socket, work.open("peekaboo-process"),
                amavis.tempBase());
             ExecutorService sender = Executors.newSingleThreadExecutor()) {
            Future<SmtpReply> pending = sender.submit(() -> send(mail));
            peekaboo.awaitSlowAnalysis(name, Duration.ofSeconds(60));
            assertThat(pending.isDone()).as("amavis is still waiting for Peekaboo").isFalse();

            peekaboo.kill();

            reply = pending.get(90, TimeUnit.SECONDS);
        }

        assertDeferred(reply, subject);
    }

    private MimeMessage mailWithAttachment(String subject, String name) {
        return mails.mail(subject, "See the attachment.\n", List.of(Attachment.text(name, "quarterly report\n")));
    }

    private SmtpReply send(MimeMessage mail) throws IOException {
        return client.send(TestMails.FROM, TestMails.TO, mail);
    }

    private void assertDeferred(SmtpReply reply, String subject) {
        assertThat(reply.stage()).isEqualTo("end of DATA");
        assertThat(reply.code()).as("%s", reply).isEqualTo(451);
        assertThat(reply.text()).as("%s", reply).startsWith("4.");
        assertThat(sink.messagesContaining(subject)).as("delivered although deferred").isEmpty();
        assertThat(sink.messages()).as("nothing at all went out, no notification either").hasSize(deliveredBefore);
    }

    private static String unique(String what) {
        return "IT " + what + " " + UUID.randomUUID();
    }
}
