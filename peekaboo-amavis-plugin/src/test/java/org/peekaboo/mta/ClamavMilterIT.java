package org.peekaboo.mta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peekaboo.mta.MailFate.assertRefusedAtEndOfData;
import static org.peekaboo.mta.MailFate.awaitDelivery;
import static org.peekaboo.mta.MailFate.awaitFinished;
import static org.peekaboo.mta.MailFate.unique;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
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
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.amavis.testing.TestMails;
import org.peekaboo.amavis.testing.TestWorkDir;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;

/**
 * Postfix with {@code smtpd_milters} → Debian's clamav-milter ({@code OnInfected Reject},
 * {@code OnFail Defer}) → Peekaboo's clamd front end with profile {@code clamav-milter}, and no
 * content filter at all. The milter sends the whole message ({@code nINSTREAM} over TCP, its
 * file's descriptor with {@code nFILDES} over the Unix socket); Peekaboo opens it part by part. Clean mail is delivered, what Peekaboo finds is rejected at
 * the end of DATA, and an undecided message, a Peekaboo that is not there or a milter that is
 * not there is deferred (4xx) and never delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClamavMilterIT {
    private static final Duration REPLY_DEADLINE = Duration.ofSeconds(4);
    private static final Duration SLOW = Duration.ofSeconds(8);
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;

    /**
     * How clamav-milter reaches Peekaboo: its {@code ClamdSocket} value. Over TCP it streams its
     * copy of the message with {@code nINSTREAM}; over the Unix socket it passes the copy's
     * descriptor with {@code nFILDES}.
     */
    enum Transport {
        TCP(peekaboo -> "tcp:127.0.0.1:" + peekaboo.clamdPort()),
        SOCKET(peekaboo -> "unix:" + peekaboo.clamdSocket());

        final Function<ClamdPeekaboo, String> clamdSocket;

        Transport(Function<ClamdPeekaboo, String> clamdSocket) {
            this.clamdSocket = clamdSocket;
        }
    }

    private TestWorkDir work;
    private SmtpSink sink;
    private ClamdPeekaboo peekaboo;
    private final Map<Transport, MilterPipeline<ClamavMilterInstance>> pipelines = new EnumMap<>(Transport.class);
    private final TestMails mails = new TestMails();

    @RegisterExtension
    final TestWatcher logs = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            pipelines.forEach((transport, pipeline) -> System.err.println("--- Postfix and clamav-milter, "
                    + transport + " ---\n" + pipeline.logs() + "--- end ---"));
        }
    };

    @BeforeAll
    void start() throws IOException {
        work = TestWorkDir.create("pkb-milter-");
        sink = SmtpSink.start();
        peekaboo = ClamdPeekaboo.start(work.open("peekaboo"), work.open("nothing-by-path"), REPLY_DEADLINE, SLOW,
                ClamdProfile.CLAMAV_MILTER);
        for (Transport transport : Transport.values()) {
            pipelines.put(transport, pipeline(work.open(transport.name().toLowerCase()), peekaboo, transport));
        }
    }

    @AfterAll
    void stop() throws IOException {
        try (TestWorkDir dir = work; SmtpSink s = sink; ClamdPeekaboo p = peekaboo) {
            for (MilterPipeline<ClamavMilterInstance> pipeline : pipelines.values()) {
                pipeline.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCleanMailIsAcceptedAndDelivered(Transport transport) throws Exception {
        String subject = unique("clean " + transport);
        String name = "minutes-" + UUID.randomUUID() + ".txt";

        SmtpReply reply = send(transport, mails.mail(subject, "The minutes follow tomorrow.\n",
                List.of(Attachment.text(name, "nothing to see\n"))));

        assertThat(reply.code()).as("%s", reply).isEqualTo(250);
        ReceivedMail delivered = awaitDelivery(sink, subject);
        assertThat(delivered.text()).contains("The minutes follow tomorrow.");
        assertThat(delivered.header("X-Virus-Status")).as("the milter's verdict header").isEqualTo("Clean");
        assertThat(peekaboo.analysesOfAttachment(name)).as("Peekaboo opened the message and judged the attachment")
                .singleElement().satisfies(row -> assertThat(row.result()).isNotEqualTo("bad"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theMarkerIsRejectedNamingTheRule(Transport transport) throws IOException {
        String subject = unique("marker " + transport);
        String name = "invoice-" + UUID.randomUUID() + ".txt";

        SmtpReply reply = send(transport, mails.mail(subject, "Please pay.\n",
                List.of(Attachment.text(name, "Amount due.\n" + MARKER + "\n"))));

        assertRejected(reply, subject, "Peekaboo.contains_peekabooyar");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUndecidedMailIsDeferredAndTheRetryIsAnsweredFromTheStore(Transport transport) throws Exception {
        String subject = unique("slow " + transport);
        String name = ExecutionCountingRule.SLOW_PREFIX + "statement-" + UUID.randomUUID() + ".txt";
        MimeMessage mail = mails.mail(subject, "Statement attached.\n",
                List.of(Attachment.text(name, "statement\n" + MARKER + "\n")));

        SmtpReply first = send(transport, mail);

        assertDeferred(first, subject);
        // Deferred for the ERROR answer itself (OnFail), not because the line was longer than the
        // 127 bytes the milter reads ("Overlong reply"), which would defer too, by accident.
        assertThat(pipelines.get(transport).logs()).contains("Unknown reply from clamd").doesNotContain("Overlong");
        StoredAnalysis finished = awaitFinished(() -> peekaboo.analysesOfAttachment(name), SLOW.multipliedBy(3));
        assertThat(finished.result()).isEqualTo("bad");

        // Postfix gives the retry a new queue id and Received header; the attachment's bytes are the same.
        SmtpReply retry = send(transport, mail);

        assertRejected(retry, subject, "Peekaboo.known");
        assertThat(peekaboo.executions(name)).as("analysed once, the retry read the store").isEqualTo(1);
        List<StoredAnalysis> rows = peekaboo.analysesOfAttachment(name);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).rules()).as("decided by the stored verdict alone").containsExactly("known");
    }

    @Test
    void peekabooOrTheMilterStoppedDefersTheMail() throws Exception {
        String subjectBefore = unique("before stop");
        String subject = unique("stopped");
        String subjectWithoutMilter = unique("milter stopped");
        try (ClamdPeekaboo own = ClamdPeekaboo.start(work.open("stopped-peekaboo"), work.open("stopped-nothing"),
                REPLY_DEADLINE, SLOW, ClamdProfile.CLAMAV_MILTER);
             MilterPipeline<ClamavMilterInstance> pipeline = pipeline(work.open("stopped"), own, Transport.TCP)) {
            try {
                SmtpReply running = pipeline.send(mails.mail(subjectBefore, "Hello.\n", List.of()));
                assertThat(running.code()).as("while Peekaboo runs: %s", running).isEqualTo(250);

                own.close();

                SmtpReply reply = pipeline.send(mails.mail(subject, "Hello again.\n", List.of()));
                assertDeferred(reply, subject);

                // And without the milter, Postfix's milter_default_action = tempfail holds the mail.
                pipeline.milter().close();
                SmtpReply withoutMilter = pipeline.send(mails.mail(subjectWithoutMilter, "Hello once more.\n",
                        List.of()));
                // Postfix asks the milter from the connection on: without one it refuses at MAIL FROM.
                assertThat(withoutMilter.stage()).as("%s", withoutMilter).isEqualTo("MAIL");
                assertThat(withoutMilter.code()).as("%s", withoutMilter).isEqualTo(451);
                assertThat(sink.messagesContaining(subjectWithoutMilter)).as("delivered without a milter").isEmpty();

                awaitDelivery(sink, subjectBefore);
                assertThat(sink.messagesContaining(subject)).as("delivered without Peekaboo").isEmpty();
            } catch (AssertionError | RuntimeException e) {
                System.err.println("--- Postfix and clamav-milter, Peekaboo stopped ---\n" + pipeline.logs()
                        + "--- end ---");
                throw e;
            }
        }
    }

    private MilterPipeline<ClamavMilterInstance> pipeline(Path dir, ClamdPeekaboo asked, Transport transport)
            throws IOException {
        return MilterPipeline.start(dir, milterDir -> ClamavMilterInstance.start(milterDir,
                transport.clamdSocket.apply(asked)), sink.port());
    }

    private SmtpReply send(Transport transport, MimeMessage mail) throws IOException {
        return pipelines.get(transport).send(mail);
    }

    private void assertRejected(SmtpReply reply, String subject, String virusName) {
        assertRefusedAtEndOfData(sink, reply, 550, virusName, subject);
    }

    private void assertDeferred(SmtpReply reply, String subject) {
        assertRefusedAtEndOfData(sink, reply, 451, "Service unavailable - try again later", subject);
    }
}
