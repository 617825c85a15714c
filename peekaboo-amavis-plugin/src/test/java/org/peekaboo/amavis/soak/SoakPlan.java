package org.peekaboo.amavis.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * How big the soak is and what it does, all drawn from one seed so that a run can be repeated.
 *
 * @param senders     mails in flight at once (and amavis' child processes)
 * @param firstRetry  a tempfailed mail is retried after this, then after twice as long, up to
 *                    {@code maxRetry}, as an MTA's queue backs off
 * @param maxAttempts after this many tempfailed attempts a mail stays in the queue, counted as
 *                    tempfailed (an MTA would go on trying for days)
 * @param maxRunTime  a bound on the whole run; mails still queued then are counted as tempfailed
 */
public record SoakPlan(int mails, long seed, int senders, List<PlannedFault> faults, Duration firstRetry,
                       Duration maxRetry, int maxAttempts, Duration maxRunTime) {

    public SoakPlan {
        faults = List.copyOf(faults);
    }

    /**
     * A plan with {@code faultCount} faults, every kind in turn and then shuffled, struck at
     * random points between 5 % and 85 % of the mails, each part down for 0.5 to
     * {@code maxDowntime}.
     */
    public static SoakPlan of(int mails, long seed, int senders, int faultCount, Duration maxDowntime,
                              Duration firstRetry, Duration maxRetry, int maxAttempts, Duration maxRunTime) {
        Random random = new Random(seed ^ 0x5eedfa17L);
        List<Fault> kinds = new ArrayList<>();
        for (int i = 0; i < faultCount; i++) {
            kinds.add(Fault.values()[i % Fault.values().length]);
        }
        Collections.shuffle(kinds, random);
        List<PlannedFault> faults = new ArrayList<>();
        for (Fault kind : kinds) {
            int after = (int) (mails * (0.05 + 0.80 * random.nextDouble()));
            long downtime = 500 + (long) (random.nextDouble() * Math.max(0, maxDowntime.toMillis() - 500));
            faults.add(new PlannedFault(kind, after, Duration.ofMillis(downtime)));
        }
        faults.sort(Comparator.comparingInt(PlannedFault::afterMails));
        return new SoakPlan(mails, seed, senders, faults, firstRetry, maxRetry, maxAttempts, maxRunTime);
    }

    /** The wait before the attempt after {@code attempts} tempfailed ones. */
    Duration backoff(int attempts) {
        Duration wait = firstRetry;
        for (int i = 1; i < attempts && wait.compareTo(maxRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetry) < 0 ? wait : maxRetry;
    }
}
