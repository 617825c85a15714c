package org.peekaboo.amavis.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.peekaboo.amavis.soak.Outcome.Fate;

/**
 * The soak's count of every mail, and the checks against the sink: no bad mail delivered, no
 * clean mail refused, no accepted mail lost or delivered twice, and every mail accounted for.
 *
 * @param faultFailures faults that could not be injected or whose part did not come back
 * @param sink          every message the next hop received
 * @param attemptMillis how long each SMTP attempt took, from connecting to amavis' last reply:
 *                      how long a mail held an amavis child, outages included (a figure only,
 *                      never a check)
 */
public record SoakReport(SoakPlan plan, List<Outcome> outcomes, List<FaultRecord> faults,
                         List<String> faultFailures, List<SinkMessage> sink, List<Long> attemptMillis,
                         Duration runTime) {

    public SoakReport {
        outcomes = List.copyOf(outcomes);
        faults = List.copyOf(faults);
        faultFailures = List.copyOf(faultFailures);
        sink = List.copyOf(sink);
        attemptMillis = List.copyOf(attemptMillis);
    }

    public long count(Fate fate) {
        return count(outcome -> outcome.fate() == fate);
    }

    public long count(Predicate<Outcome> which) {
        return outcomes.stream().filter(which).count();
    }

    public long attempts() {
        return outcomes.stream().mapToLong(Outcome::attempts).sum();
    }

    /** Attempts after the first, as the MTA's queue made them. */
    public long retries() {
        return outcomes.stream().mapToLong(outcome -> Math.max(0, outcome.attempts() - 1)).sum();
    }

    public long tempfailReplies() {
        return outcomes.stream().mapToLong(Outcome::tempfails).sum();
    }

    public long connectionFailures() {
        return outcomes.stream().mapToLong(Outcome::connectionFailures).sum();
    }

    /** How often each soak mail reached the sink, by mail id. */
    public Map<Integer, Long> deliveries() {
        return sink.stream().filter(message -> message.id() != null)
                .collect(Collectors.groupingBy(SinkMessage::mailId, TreeMap::new, Collectors.counting()));
    }

    /** Everything that is wrong; empty when the soak passed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Map<Integer, Long> deliveries = deliveries();
        List<String> badDelivered = sink.stream().filter(SinkMessage::bad).map(SinkMessage::id).toList();
        report(problems, "bad mails delivered to the sink", badDelivered);
        report(problems, "mails at the sink that amavis did not mark scanned", sink.stream()
                .filter(message -> message.id() != null && !message.scanned()).map(SinkMessage::id).toList());
        report(problems, "clean mails rejected", ids(outcome -> !outcome.mail().kind().bad()
                && outcome.fate() == Fate.REJECTED));
        // Rejected by something else than Peekaboo's verdict (a banned name, a policy) the soak
        // would count a refusal that shows nothing about Peekaboo.
        report(problems, "mails rejected but not as INFECTED", ids(outcome -> outcome.fate() == Fate.REJECTED
                && !outcome.last().text().contains("INFECTED")));
        report(problems, "mails accepted (250) but not at the sink (lost)", ids(outcome ->
                outcome.fate() == Fate.DELIVERED && !deliveries.containsKey(outcome.mail().id())));
        // A mail whose connection broke may have been passed on before the MTA retried it: that
        // duplicate is the MTA's, as with any content filter; without a broken connection it is not.
        report(problems, "mails at the sink more than once", ids(outcome -> outcome.connectionFailures() == 0
                && deliveries.getOrDefault(outcome.mail().id(), 0L) > 1));
        report(problems, "mails at the sink although refused or tempfailed", ids(outcome ->
                outcome.fate() != Fate.DELIVERED && outcome.connectionFailures() == 0
                        && deliveries.containsKey(outcome.mail().id())));
        if (outcomes.size() != plan.mails()
                || outcomes.stream().map(outcome -> outcome.mail().id()).distinct().count() != plan.mails()) {
            problems.add("mails unaccounted for: " + plan.mails() + " sent, " + outcomes.size() + " outcomes");
        }
        problems.addAll(faultFailures);
        if (faults.size() != plan.faults().size()) {
            problems.add("faults planned " + plan.faults().size() + ", injected " + faults.size());
        }
        return problems;
    }

    private List<String> ids(Predicate<Outcome> which) {
        return outcomes.stream().filter(which).map(outcome -> String.valueOf(outcome.mail().id())).toList();
    }

    private static void report(List<String> problems, String what, List<String> ids) {
        if (!ids.isEmpty()) {
            problems.add(ids.size() + " " + what + ": " + String.join(", ", ids.subList(0, Math.min(20, ids.size())))
                    + (ids.size() > 20 ? ", ..." : ""));
        }
    }

    /** The summary table printed at the end of a soak. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("Mail soak through amavisd-new and Peekaboo on MariaDB: %d mails, seed %d, %d senders, run time %d s"
                .formatted(plan.mails(), plan.seed(), plan.senders(), runTime.toSeconds()))
                .append(String.format(Locale.ROOT, " (%.1f mails/s with the faults)%n",
                        plan.mails() * 1000.0 / Math.max(1, runTime.toMillis())));
        String row = "  %-22s %6s %10s %9s %11s %9s%n";
        out.append(row.formatted("kind", "mails", "delivered", "rejected", "tempfailed", "retried"));
        Map<MailKind, List<Outcome>> byKind = new EnumMap<>(MailKind.class);
        outcomes.forEach(outcome -> byKind.computeIfAbsent(outcome.mail().kind(), k -> new ArrayList<>()).add(outcome));
        byKind.forEach((kind, list) -> out.append(line(row, kind.label(), list)));
        out.append(line(row, "total", outcomes));
        out.append("  attempts %d, retries %d, 4xx replies %d, attempts without a reply %d, attachments %d%n"
                .formatted(attempts(), retries(), tempfailReplies(), connectionFailures(),
                        outcomes.stream().mapToLong(outcome -> outcome.mail().parts()).sum()));
        List<Long> sorted = attemptMillis.stream().sorted().toList();
        if (!sorted.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  time per attempt: median %.1f s, 95th percentile %.1f s,"
                    + " longest %.1f s%n", percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 100)));
        }
        out.append("  at the sink: %d messages, %d of them soak mails, %d bad%n".formatted(sink.size(),
                deliveries().values().stream().mapToLong(Long::longValue).sum(),
                sink.stream().filter(SinkMessage::bad).count()));
        out.append("Faults (%d planned, %d injected):%n".formatted(plan.faults().size(), faults.size()));
        for (FaultRecord fault : faults) {
            out.append(String.format(Locale.ROOT, "  %6.1f s  after mail %4d  %-30s back after %5.1f s  (%s)%n",
                    fault.at().toMillis() / 1000.0, fault.atMail(), fault.fault().label(),
                    fault.outage().toMillis() / 1000.0, fault.detail()));
        }
        List<String> problems = problems();
        out.append(problems.isEmpty() ? "Checks: 0 bad delivered, 0 clean rejected, 0 lost, 0 duplicates,"
                + " every mail accounted for, every fault injected%n".formatted() : "PROBLEMS:%n".formatted());
        problems.forEach(problem -> out.append("  ").append(problem).append(System.lineSeparator()));
        if (count(Fate.TEMPFAILED) > 0) {
            out.append("Not decided: %d mails still tempfailed in the MTA's queue at the end%n"
                    .formatted(count(Fate.TEMPFAILED)));
        }
        return out.toString();
    }

    private static double percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    private static String line(String row, String label, List<Outcome> list) {
        return row.formatted(label, list.size(),
                list.stream().filter(outcome -> outcome.fate() == Fate.DELIVERED).count(),
                list.stream().filter(outcome -> outcome.fate() == Fate.REJECTED).count(),
                list.stream().filter(outcome -> outcome.fate() == Fate.TEMPFAILED).count(),
                list.stream().filter(outcome -> outcome.attempts() > 1).count());
    }
}
