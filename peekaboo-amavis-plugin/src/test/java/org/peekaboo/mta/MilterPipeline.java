package org.peekaboo.mta;

import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.peekaboo.amavis.testing.SmtpClient;
import org.peekaboo.amavis.testing.SmtpReply;
import org.peekaboo.amavis.testing.TestMails;

/** A milter and the private Postfix in front of it, as a site runs them. */
record MilterPipeline<M extends MilterDaemon>(M milter, PostfixInstance postfix) implements AutoCloseable {

    /** Starts a milter in a directory of its own. */
    @FunctionalInterface
    interface Starter<M extends MilterDaemon> {
        M start(Path dir) throws IOException;
    }

    /** The milter in {@code dir/milter}, then Postfix in {@code dir/postfix} asking it. */
    static <M extends MilterDaemon> MilterPipeline<M> start(Path dir, Starter<M> starter, int sinkPort)
            throws IOException {
        M milter = starter.start(dir.resolve("milter"));
        try {
            return new MilterPipeline<>(milter, PostfixInstance.start(dir.resolve("postfix"), milter.milter(),
                    sinkPort));
        } catch (IOException | RuntimeException e) {
            milter.close();
            throw e;
        }
    }

    /** Sends one mail to Postfix and returns the reply that decided its fate. */
    SmtpReply send(MimeMessage mail) throws IOException {
        SmtpReply reply = new SmtpClient(postfix.port(), Duration.ofSeconds(150))
                .send(TestMails.FROM, TestMails.TO, mail);
        // What the client heard, in the test's output: docs/clamd.md quotes these replies.
        System.out.println("Postfix on port " + postfix.port() + " with " + milter.milter() + ": " + reply);
        return reply;
    }

    String logs() {
        return postfix.logs() + milter.logs();
    }

    @Override
    public void close() throws IOException {
        try (M m = milter; PostfixInstance p = postfix) {
            // Postfix first, then the milter
        }
    }
}
