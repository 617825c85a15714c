package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.peekaboo.amavis.testing.AmavisInstance;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.InProcessPeekaboo;
import org.peekaboo.amavis.testing.ShowLogsOnFailure;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.config.HostPort;

/**
 * The plugin's one site setting given as host:port instead of a socket path: amavis reaches
 * Peekaboo over TCP and judges the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmavisOverTcpIT {
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
        work = TestWorkDir.create("pkb-amavis-tcp-");
        sink = SmtpSink.start();
        peekaboo = InProcessPeekaboo.start(work.open("peekaboo"), work.path().resolve("amavis").resolve("tmp"),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Optional.of(new HostPort("127.0.0.1", freePort())));
        amavis = AmavisInstance.start(work.path(), AmavisWithPeekabooIT.pluginDir(),
                "127.0.0.1:" + peekaboo.tcpPort().orElseThrow(), sink.port(), List.of());
        client = new SmtpClient(amavis.port(), Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; InProcessPeekaboo p = peekaboo; AmavisInstance a = amavis) {
            // closed in reverse order: amavis first, the directories last
        }
    }

    @Test
    void aCleanAttachmentIsDeliveredAndAMarkedOneRejected() throws IOException {
        String clean = "IT tcp clean " + UUID.randomUUID();
        String marked = "IT tcp marked " + UUID.randomUUID();
        String cleanName = "notes-" + UUID.randomUUID() + ".txt";

        SmtpReply delivered = client.send(TestMails.FROM, TestMails.TO, mails.mail(clean, "Notes.\n",
                List.of(Attachment.text(cleanName, "nothing to see\n"))));
        SmtpReply rejected = client.send(TestMails.FROM, TestMails.TO, mails.mail(marked, "Marked.\n",
                List.of(Attachment.text("marked.txt", "x\n" + AmavisWithPeekabooIT.MARKER + "\n"))));

        assertThat(delivered.code()).as("%s", delivered).isEqualTo(250);
        assertThat(sink.messagesContaining(clean)).singleElement()
                .satisfies(mail -> assertThat(mail.header("X-Virus-Scanned")).isNotBlank());
        assertThat(peekaboo.analysesOf(cleanName)).hasSize(1);
        assertThat(rejected.code()).as("%s", rejected).isEqualTo(554);
        assertThat(rejected.text()).contains("INFECTED");
        assertThat(sink.messagesContaining(marked)).isEmpty();
    }

    /** The configuration does not accept port 0, so ask the kernel for a free port first. */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
