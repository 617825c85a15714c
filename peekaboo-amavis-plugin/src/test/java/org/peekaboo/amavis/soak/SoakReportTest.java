package org.peekaboo.amavis.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peekaboo.amavis.soak.Outcome.Fate;
import org.peekaboo.amavis.testing.SmtpReply;

/** The soak's checks find each way mail can go wrong, and pass a run where none did. */
class SoakReportTest {
    private static final SmtpReply OK = new SmtpReply("end of DATA", 250, "2.0.0 Ok");
    private static final SmtpReply INFECTED = new SmtpReply("end of DATA", 554, "5.7.0 Reject, INFECTED");
    private static final SmtpReply LATER = new SmtpReply("end of DATA", 451, "4.5.0 Error in processing");

    private final SoakMail clean = new SoakMail(1, MailKind.CLEAN_PARTS, 3, new byte[0]);
    private final SoakMail bad = new SoakMail(2, MailKind.MARKER, 5, new byte[0]);
    private final SoakMail pending = new SoakMail(3, MailKind.ZIP_MACRO, 1, new byte[0]);
    private final SoakPlan plan = new SoakPlan(3, 7, 2, List.of(new PlannedFault(Fault.DATABASE_STOP, 1,
            Duration.ofSeconds(1))), Duration.ofSeconds(1), Duration.ofSeconds(8), 5, Duration.ofMinutes(1));
    private final FaultRecord stopped = new FaultRecord(Fault.DATABASE_STOP, 1, Duration.ofSeconds(2),
            Duration.ofSeconds(3), "port 1 down and back");

    private final List<Outcome> outcomes = new ArrayList<>(List.of(
            new Outcome(clean, Fate.DELIVERED, 2, 1, 0, OK),
            new Outcome(bad, Fate.REJECTED, 1, 0, 0, INFECTED),
            new Outcome(pending, Fate.TEMPFAILED, 5, 5, 0, LATER)));
    private final List<SinkMessage> sink = new ArrayList<>(List.of(new SinkMessage("run-1", "clean", true)));

    private SoakReport report(List<FaultRecord> faults) {
        return new SoakReport(plan, outcomes, faults, List.of(), sink, List.of(900L, 300L, 4200L, 700L),
                Duration.ofSeconds(30));
    }

    @Test
    void aRunWithoutWrongFatesPassesAndItsTableCountsEveryMail() {
        SoakReport report = report(List.of(stopped));

        assertThat(report.problems()).isEmpty();
        assertThat(report.count(Fate.TEMPFAILED)).isEqualTo(1);
        assertThat(report.retries()).isEqualTo(1 + 4);
        assertThat(report.tempfailReplies()).isEqualTo(6);
        assertThat(report.table())
                .contains("3 mails, seed 7, 2 senders, run time 30 s (0.1 mails/s with the faults)")
                .contains("Checks: 0 bad delivered")
                .containsPattern("total +3 +1 +1 +1 +2")
                .contains("time per attempt: median 0.7 s, 95th percentile 4.2 s, longest 4.2 s")
                .contains("Not decided: 1 mails still tempfailed in the MTA's queue at the end");
    }

    @Test
    void aBadMailAtTheSinkFails() {
        sink.add(new SinkMessage("run-2", "bad", true));

        assertThat(report(List.of(stopped)).problems()).anyMatch(problem -> problem.startsWith(
                "1 bad mails delivered to the sink: run-2"));
    }

    @Test
    void anAcceptedMailMissingAtTheSinkIsLost() {
        sink.clear();

        assertThat(report(List.of(stopped)).problems()).containsExactly(
                "1 mails accepted (250) but not at the sink (lost): 1");
    }

    @Test
    void aMailDeliveredTwiceOrAlthoughTempfailedFails() {
        sink.add(new SinkMessage("run-1", "clean", true));
        sink.add(new SinkMessage("run-3", "bad", true));

        assertThat(report(List.of(stopped)).problems()).contains("1 mails at the sink more than once: 1",
                "1 mails at the sink although refused or tempfailed: 3");
    }

    @Test
    void aCleanMailRejectedOrPassedUnscannedFails() {
        outcomes.set(0, new Outcome(clean, Fate.REJECTED, 1, 0, 0, INFECTED));
        sink.set(0, new SinkMessage("run-1", "clean", false));

        assertThat(report(List.of(stopped)).problems()).contains("1 clean mails rejected: 1",
                "1 mails at the sink that amavis did not mark scanned: run-1");
    }

    @Test
    void aBadMailRefusedForAnotherReasonThanItsVerdictFails() {
        outcomes.set(1, new Outcome(bad, Fate.REJECTED, 1, 0, 0,
                new SmtpReply("end of DATA", 554, "5.7.0 Reject, id=1 - BANNED: invoice.exe")));

        assertThat(report(List.of(stopped)).problems()).containsExactly("1 mails rejected but not as INFECTED: 2");
    }

    @Test
    void aMailWithoutOutcomeAndAFaultNotInjectedFail() {
        outcomes.remove(2);

        assertThat(report(List.of()).problems()).containsExactly("mails unaccounted for: 3 sent, 2 outcomes",
                "faults planned 1, injected 0");
    }
}
