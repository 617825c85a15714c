package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.peekaboo.amavis.testing.AmavisInstance;
import org.peekaboo.amavis.testing.Attachment;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.mta.ClamdPeekaboo;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * amavisd-new WITHOUT the Peekaboo plugin, with amavis' own clamd entries pointed at
 * Peekaboo's clamd front end (profile {@code amavis}) and the fail-closed settings of
 * docs/clamd.md: {@code ClamAV-clamd} ({@code CONTSCAN} of amavis' parts directory over the
 * Unix socket) and {@code ClamAV-clamd-stream} ({@code zIDSESSION}/{@code zINSTREAM} per part).
 * Both must give the outcomes the plugin gives: clean mail delivered, the marker rejected
 * (554) naming the rule, an undecided attachment and a Peekaboo that is not there deferred (451).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmavisClamdIT {
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(3);
    private static final Duration SLOW = Duration.ofSeconds(8);
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;

    /** amavis' two clamd entries, as amavisd.conf of amavisd-new 2.13 lists them. */
    enum Entry {
        CONTSCAN("ClamAV-clamd", "\"CONTSCAN {}\\n\", '%s'"),
        STREAM("ClamAV-clamd-stream", "'*', 'clamd:%s'");

        private final String label;
        private final String query;

        Entry(String label, String query) {
            this.label = label;
            this.query = query;
        }

        /** The settings of docs/clamd.md's amavis snippet, with this entry and the socket. */
        List<String> settings(Path socket) {
            return List.of(
                    "@av_scanners = (",
                    "  ['" + label + "', \\&ask_daemon, [" + query.formatted(socket) + "],",
                    "    qr/\\bOK$/m, qr/\\bFOUND$/m, qr/^.*?: (?!Infected Archive)(.*) FOUND$/m ],",
                    ");",
                    "@av_scanners_backup = ();",
                    "@bypass_virus_checks_maps = (",
                    "  \\%bypass_virus_checks, \\@bypass_virus_checks_acl, \\$bypass_virus_checks_re);",
                    "$virus_scanners_failure_is_fatal = 1;",
                    "$final_virus_destiny = D_REJECT;",
                    "$final_unchecked_destiny = D_REJECT;");
        }
    }

    private TestWorkDir work;
    private SmtpSink sink;
    private ClamdPeekaboo peekaboo;
    private AmavisInstance contscan;
    private AmavisInstance stream;
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (AmavisInstance amavis : new AmavisInstance[] {contscan, stream}) {
                if (amavis != null) {
                    System.err.println("--- amavisd on port " + amavis.port() + " ---\n" + amavis.log()
                            + "--- end ---");
                }
            }
        }
    };

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-amavis-clamd-");
        sink = SmtpSink.start();
        Path contscanDir = work.open("amavis-contscan");
        // CONTSCAN names amavis' parts directory, which Peekaboo reads as an allowed directory.
        peekaboo = ClamdPeekaboo.start(work.open("peekaboo"), contscanDir.resolve("amavis").resolve("tmp"),
                REPLY_DEADLINE, SLOW, ClamdProfile.AMAVIS);
        openToAmavis(peekaboo.clamdSocket());
        contscan = AmavisInstance.startWithoutPlugin(contscanDir, sink.port(),
                Entry.CONTSCAN.settings(peekaboo.clamdSocket()));
        stream = AmavisInstance.startWithoutPlugin(work.open("amavis-stream"), sink.port(),
                Entry.STREAM.settings(peekaboo.clamdSocket()));
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; ClamdPeekaboo p = peekaboo; AmavisInstance a = contscan;
             AmavisInstance b = stream) {
            // closed in reverse order: amavis first, the directories last
        }
    }

    @ParameterizedTest
    @EnumSource(Entry.class)
    void aCleanMailIsDelivered(Entry entry) throws IOException {
        String subject = unique("clean " + entry);

        SmtpReply reply = send(entry, subject, "Dear colleague,\nthe minutes follow tomorrow.\n",
                List.of(Attachment.text("agenda.txt", "Agenda\n")));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        assertThat(sink.messagesContaining(subject)).singleElement()
                .satisfies(mail -> assertThat(mail.header("X-Virus-Scanned")).isNotBlank());
    }

    @ParameterizedTest
    @EnumSource(Entry.class)
    void theMarkerIsRejectedNamingTheRule(Entry entry) throws IOException {
        String subject = unique("marker " + entry);

        // Bytes of their own: bytes judged before are answered by the rule "known".
        SmtpReply reply = send(entry, subject, "Please pay.\n", List.of(Attachment.text("invoice.txt",
                "Amount due " + UUID.randomUUID() + "\n" + MARKER + "\n")));

        assertThat(reply.code()).as("%s", reply).isEqualTo(554);
        assertThat(reply.text()).as("%s", reply).startsWith("5.7.0").contains("INFECTED")
                .contains("Peekaboo.contains_peekabooyar");
        assertThat(sink.messagesContaining(subject)).as("delivered although rejected").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Entry.class)
    void anUndecidedAttachmentIsDeferred(Entry entry) throws IOException {
        String subject = unique("slow " + entry);
        // Part files carry no name: the test rule holds samples whose content starts "slow-".
        String content = ExecutionCountingRule.SLOW_PREFIX + UUID.randomUUID() + "\nstatement\n";

        SmtpReply reply = send(entry, subject, "Statement attached.\n",
                List.of(Attachment.text("statement.txt", content)));

        assertDeferred(reply, subject);
    }

    @Test
    void peekabooStoppedDefersTheMail() throws Exception {
        Path dir = work.open("stopped");
        String subjectBefore = unique("before stop");
        String subject = unique("stopped");
        try (ClamdPeekaboo own = ClamdPeekaboo.start(work.open("stopped-peekaboo"), dir.resolve("amavis"),
                REPLY_DEADLINE, SLOW, ClamdProfile.AMAVIS)) {
            openToAmavis(own.clamdSocket());
            try (AmavisInstance amavis = AmavisInstance.startWithoutPlugin(dir, sink.port(),
                    Entry.STREAM.settings(own.clamdSocket()))) {
                SmtpReply running = send(amavis, subjectBefore, "Hello.\n", List.of());
                assertThat(running.code()).as("while Peekaboo runs: %s", running).isEqualTo(250);

                own.close();

                SmtpReply reply = send(amavis, subject, "Hello again.\n", List.of());
                assertDeferred(reply, subject);
            }
        }
    }

    /**
     * amavis connects as its own user; the clamd socket (mode 0660) has no group setting of
     * its own, so the test gives it to group amavis as a site would with the daemon's group.
     */
    private static void openToAmavis(Path socket) throws IOException {
        GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByGroupName(AmavisInstance.USER);
        Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(group);
        for (Path dir = socket.getParent(); dir != null && !dir.equals(Path.of("/tmp")) && dir.getNameCount() > 1;
             dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private SmtpReply send(Entry entry, String subject, String body, List<Attachment> attachments)
            throws IOException {
        return send(entry == Entry.CONTSCAN ? contscan : stream, subject, body, attachments);
    }

    private SmtpReply send(AmavisInstance amavis, String subject, String body, List<Attachment> attachments)
            throws IOException {
        return new SmtpClient(amavis.port(), Duration.ofSeconds(120))
                .send(TestMails.FROM, TestMails.TO, mails.mail(subject, body, attachments));
    }

    private void assertDeferred(SmtpReply reply, String subject) {
        assertThat(reply.code()).as("%s", reply).isEqualTo(451);
        assertThat(sink.messagesContaining(subject)).as("delivered although deferred").isEmpty();
    }

    private static String unique(String what) {
        return "IT " + what + " " + UUID.randomUUID();
    }
}
