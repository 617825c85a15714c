package org.peekaboo.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;

/**
 * Bounded waits for what happens after an MTA has answered: it delivers in a process of its
 * own, and Peekaboo finishes an analysis after it answered undecided.
 */
final class MailWaits {
    static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);

    private MailWaits() {
    }

    /** The one mail with {@code subject} in the sink, waiting for it at most {@link #DELIVERY_WAIT}. */
    static ReceivedMail awaitDelivery(SmtpSink sink, String subject) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<ReceivedMail> delivered = sink.messagesContaining(subject);
            if (!delivered.isEmpty()) {
                assertThat(delivered).as("delivered once").hasSize(1);
                return delivered.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not delivered within " + DELIVERY_WAIT.toSeconds() + " s: " + subject
                + "; sink errors " + sink.errors());
    }

    /** The first finished analysis of the attachment {@code name}, waiting for it at most {@code timeout}. */
    static StoredAnalysis awaitFinished(ClamdPeekaboo peekaboo, String name, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<StoredAnalysis> finished = peekaboo.analysesOfAttachment(name).stream()
                    .filter(row -> row.state().equals("FINISHED")).toList();
            if (!finished.isEmpty()) {
                return finished.get(0);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the analysis of " + name + " did not finish within " + timeout.toSeconds() + " s: "
                + peekaboo.analysesOfAttachment(name));
    }
}
