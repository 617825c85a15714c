package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.peekaboo.amavis.soak.MailSoak;
import org.peekaboo.amavis.soak.Outcome.Fate;
import org.peekaboo.amavis.soak.PlannedFault;
import org.peekaboo.amavis.soak.SoakMail;
import org.peekaboo.amavis.soak.SoakMails;
import org.peekaboo.amavis.soak.SoakPipeline;
import org.peekaboo.amavis.soak.SoakPlan;
import org.peekaboo.amavis.soak.SoakReport;
import org.peekaboo.amavis.testing.ShowLogsOnFailure;
import org.peekaboo.amavis.testing.TestWorkDir;

/**
 * Mail through real amavisd-new and a real Peekaboo daemon on a MariaDB server of its own,
 * while the daemon is killed (SIGKILL and SIGTERM) and restarted and the database is stopped,
 * killed and started at seeded random points; the test plays the sending MTA and retries what
 * is tempfailed. Passes when no bad mail reached the sink, no clean mail was refused, no
 * accepted mail was lost or doubled, every mail is accounted for and every fault happened.
 *
 * <p>In the suite it sends 80 mails through one fault of each kind. {@code scripts/soak} runs
 * the same test with {@code -Dsoak.mails=1000} and more faults; {@code -Dsoak.seed=N} repeats
 * a run, {@code -Dsoak.maxRunSeconds} bounds it (mails still queued then count as
 * tempfailed). The summary table goes to standard output and
 * {@code target/mail-soak-report.txt}, the daemon's log to {@code target/mail-soak-peekaboo.log}.
 * Mail still tempfailed at the end fails the test: the MTA's retries outlast the last fault
 * by two minutes, so such mail shows a part that did not recover without a restart.
 */
class MailSoakIT {
    private SoakPipeline pipeline;

    @RegisterExtension
    final ShowLogsOnFailure logs = new ShowLogsOnFailure(() -> pipeline == null ? null : pipeline.amavis());

    @Test
    void noBadMailIsDeliveredAndNoMailIsLostWhilePeekabooAndItsDatabaseFail() throws Exception {
        int mails = Integer.getInteger("soak.mails", 80);
        long seed = Long.getLong("soak.seed", new Random().nextLong());
        int faultCount = Integer.getInteger("soak.faults", 4);
        int senders = Integer.getInteger("soak.senders", 4);
        SoakPlan plan = SoakPlan.of(mails, seed, senders, faultCount, Duration.ofSeconds(4),
                Duration.ofSeconds(1), Duration.ofSeconds(8), 20,
                Duration.ofSeconds(Long.getLong("soak.maxRunSeconds", Math.max(300, mails * 3L))));
        System.out.println("Mail soak: " + mails + " mails, seed " + seed + " (repeat with -Dsoak.seed=" + seed
                + "), faults " + plan.faults());
        Path repository = Path.of(System.getProperty("peekaboo.repository", "..")).toAbsolutePath().normalize();
        List<SoakMail> soakMails = SoakMails.withMacroDocument(repository.resolve("docker/demo/invoice.doc"))
                .generate(mails, new Random(seed), Long.toString(seed, 36));

        SoakReport report;
        try (TestWorkDir work = TestWorkDir.create("pkb-soak-")) {
            pipeline = SoakPipeline.start(work, repository, AmavisWithPeekabooIT.pluginDir(), senders);
            try {
                report = new MailSoak(plan, pipeline, soakMails).run();
                assertThat(pipeline.allUp()).as("daemon, database and amavis up after the last fault").isTrue();
            } finally {
                Files.writeString(Path.of("target/mail-soak-peekaboo.log"), pipeline.peekabooLog(),
                        StandardCharsets.UTF_8);
                pipeline.close();
            }
        }

        String table = report.table();
        System.out.println(table);
        write(Path.of(System.getProperty("soak.report", "target/mail-soak-report.txt")), table);
        assertThat(report.problems()).as(table).isEmpty();
        assertThat(report.faults()).as("faults injected").extracting(record -> record.fault())
                .containsExactlyInAnyOrderElementsOf(plan.faults().stream().map(PlannedFault::fault).toList());
        assertThat(report.count(Fate.DELIVERED)).as("clean mails delivered; %s", table).isPositive();
        assertThat(report.count(Fate.REJECTED)).as("bad mails rejected; %s", table).isPositive();
        // The retries outlast the last fault by two minutes: a mail still undecided then means a
        // part did not recover without a restart.
        assertThat(report.count(Fate.TEMPFAILED)).as("mails still tempfailed at the end; %s", table).isZero();
        assertThat(report.tempfailReplies() + report.connectionFailures())
                .as("attempts the faults tempfailed: without any the faults were not felt; %s", table).isPositive();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
