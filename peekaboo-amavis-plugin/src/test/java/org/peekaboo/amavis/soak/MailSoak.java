package org.peekaboo.amavis.soak;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.peekaboo.amavis.soak.Outcome.Fate;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.TestMails;

/**
 * Plays the sending MTA: {@link SoakPlan#senders()} threads hand the mails to amavis, one per
 * SMTP connection; a tempfailed mail (4xx, or no reply at all) goes back into the queue and is
 * retried after a growing wait, until it is decided or its attempts are used up. Meanwhile one
 * thread injects the plan's faults as the mails reach the planned points.
 */
public final class MailSoak {
    private static final Duration SMTP_TIMEOUT = Duration.ofSeconds(180);

    private final SoakPlan plan;
    private final SoakPipeline pipeline;
    private final List<SoakMail> mails;
    private final LinkedBlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    /** Tempfailed mails waiting for their retry, by id: still the MTA's, never forgotten. */
    private final Map<Integer, Pending> deferred = new ConcurrentHashMap<>();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<FaultRecord> faults = new CopyOnWriteArrayList<>();
    private final List<String> faultFailures = new CopyOnWriteArrayList<>();
    private final Queue<Long> attemptMillis = new ConcurrentLinkedQueue<>();
    private final AtomicInteger firstAttempts = new AtomicInteger();
    private final AtomicInteger undecided = new AtomicInteger();

    public MailSoak(SoakPlan plan, SoakPipeline pipeline, List<SoakMail> mails) {
        this.plan = plan;
        this.pipeline = pipeline;
        this.mails = List.copyOf(mails);
    }

    /** A mail in the queue and what its attempts so far got. */
    private record Pending(SoakMail mail, int attempts, int tempfails, int connectionFailures, SmtpReply last) {
        Pending after(SmtpReply reply) {
            return new Pending(mail, attempts + 1, tempfails + (reply != null && reply.code() >= 400
                    && reply.code() < 500 ? 1 : 0), connectionFailures + (reply == null ? 1 : 0), reply);
        }

        Outcome as(Fate fate) {
            return new Outcome(mail, fate, attempts, tempfails, connectionFailures, last);
        }
    }

    public SoakReport run() throws InterruptedException {
        long start = System.nanoTime();
        long end = start + plan.maxRunTime().toNanos();
        mails.forEach(mail -> queue.addLast(new Pending(mail, 0, 0, 0, null)));
        undecided.set(mails.size());
        SmtpClient client = new SmtpClient(pipeline.amavisPort(), SMTP_TIMEOUT);
        Thread injector = Thread.ofPlatform().name("soak-faults").start(() -> injectFaults(start, end));
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < plan.senders(); i++) {
            senders.add(Thread.ofPlatform().name("soak-sender-" + i).start(() -> send(client, retries, end)));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        injector.join();
        retries.shutdownNow();
        retries.awaitTermination(10, TimeUnit.SECONDS);
        // Whatever is still queued (the run's bound came first) stays tempfailed, accounted for.
        Pending left;
        while ((left = queue.pollFirst()) != null) {
            outcomes.add(left.as(Fate.TEMPFAILED));
        }
        deferred.values().forEach(waiting -> outcomes.add(waiting.as(Fate.TEMPFAILED)));
        List<SinkMessage> sink = pipeline.sink().messages().stream().map(SinkMessage::of).toList();
        return new SoakReport(plan, List.copyOf(outcomes), List.copyOf(faults), List.copyOf(faultFailures), sink,
                List.copyOf(attemptMillis), Duration.ofNanos(System.nanoTime() - start));
    }

    private void send(SmtpClient client, ScheduledExecutorService retries, long end) {
        try {
            while (undecided.get() > 0 && System.nanoTime() < end) {
                Pending pending = queue.pollFirst(200, TimeUnit.MILLISECONDS);
                if (pending == null) {
                    continue;
                }
                if (pending.attempts() == 0) {
                    firstAttempts.incrementAndGet();
                }
                SmtpReply reply;
                long sent = System.nanoTime();
                try {
                    reply = client.send(TestMails.FROM, TestMails.TO, pending.mail().content());
                } catch (IOException noReply) {
                    reply = null;
                }
                attemptMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                Pending next = pending.after(reply);
                if (reply != null && reply.code() < 400) {
                    decided(next.as(Fate.DELIVERED));
                } else if (reply != null && reply.code() >= 500) {
                    decided(next.as(Fate.REJECTED));
                } else if (next.attempts() >= plan.maxAttempts()) {
                    decided(next.as(Fate.TEMPFAILED));
                } else {
                    // Retried first once due, as a queue manager prefers deferred mail it retries.
                    deferred.put(next.mail().id(), next);
                    retries.schedule(() -> queue.addFirst(deferred.remove(next.mail().id())),
                            plan.backoff(next.attempts()).toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void decided(Outcome outcome) {
        outcomes.add(outcome);
        int left = undecided.decrementAndGet();
        int step = Math.max(1, mails.size() / 10);
        if ((mails.size() - left) % step == 0) {
            // A long soak shows it is alive, and what it had when it is stopped before its table.
            System.out.printf("soak: %d of %d mails decided, %d faults injected%n", mails.size() - left,
                    mails.size(), faults.size());
        }
    }

    private void injectFaults(long start, long end) {
        for (PlannedFault planned : plan.faults()) {
            try {
                // Once the mails are done (or the run's bound is reached) the rest strike at once:
                // every planned fault happens, and the report says at which mail.
                while (firstAttempts.get() < planned.afterMails() && undecided.get() > 0
                        && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                Duration at = Duration.ofNanos(System.nanoTime() - start);
                faults.add(pipeline.inject(planned.fault(), planned.downtime(), firstAttempts.get(), at));
            } catch (IOException | RuntimeException e) {
                faultFailures.add(planned.fault() + " at mail " + planned.afterMails() + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
