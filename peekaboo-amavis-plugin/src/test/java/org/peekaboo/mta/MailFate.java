package org.peekaboo.mta;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.peekaboo.amavis.testing.ReceivedMail;
import org.peekaboo.amavis.testing.SmtpSink;
import org.peekaboo.amavis.testing.StoredAnalysis;

/**
 * Bounded waits for what happens after an MTA has answered: its delivery to the sink, which
 * runs in a process of its own, and an analysis that goes on after the deadline's answer.
 */
final class MailFate {
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);

    private MailFate() {
    }

    /** A subject no other test sends, to tell the sink's messages apart. */
    static String unique(String what) {
        return "IT " + what + " " + UUID.randomUUID();
    }

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

    /** The first finished row among those {@code rows} returns, once there is one. */
    static StoredAnalysis awaitFinished(Supplier<List<StoredAnalysis>> rows, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<StoredAnalysis> finished = rows.get().stream().filter(row -> row.state().equals("FINISHED")).toList();
            if (!finished.isEmpty()) {
                return finished.get(0);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the analysis did not finish within " + timeout.toSeconds() + " s: " + rows.get());
    }
}
