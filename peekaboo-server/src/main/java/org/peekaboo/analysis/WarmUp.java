package org.peekaboo.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.peekaboo.expansion.Expander;
import org.peekaboo.expansion.Passwords;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's warm-up before the first mail. */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** How long the warm-up may read its own small files. */
    private static final Duration WARM_UP_READ = Duration.ofMinutes(1);

    private final SampleSource samples;
    private final Ruleset ruleset;
    private final Expander expander;

    WarmUp(SampleSource samples, Ruleset ruleset, Expander expander) {
        this.samples = samples;
        this.ruleset = ruleset;
        this.expander = expander;
    }

    /**
     * Runs the first steps of a sample's way — reading and hashing, the look-up of earlier
     * results, type detection, opening a zip and a message — on a few samples of its own in a temporary directory, recording
     * nothing. Loading and initialising the classes of these steps takes far longer than the
     * steps themselves, and would otherwise fall on the first mail. Failures are only logged:
     * a cold start is slower, not wrong.
     */
    void run() {
        long started = System.nanoTime();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("peekaboo-warm-up-");
            for (WarmUpSample warm : WarmUpSample.values()) {
                Path file = Files.write(scratch.resolve(warm.name), warm.content);
                try (SampleContent content = samples.read(CheckedFile.at(file.toRealPath()),
                        System.nanoTime() + WARM_UP_READ.toNanos())) {
                    Sample sample = Sample.of(content, new SampleDeclaration(file.toString(), warm.name, null, null));
                    SampleContext context = ruleset.newContext(sample);
                    ruleset.decideFromEarlierResults(context);
                    context.fileTypes();
                    AnalysisEngine.containerFormat(ruleset, expander, sample).ifPresent(format -> expander.expand(content, format, warm.name,
                            Passwords.none(), expander.newBudget()).closeMembers());
                }
            }
            LOG.debug("Warmed up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Warming up failed; the first samples will be slower: {}", e.toString());
        } finally {
            if (scratch != null) {
                try (var files = Files.list(scratch)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                    Files.deleteIfExists(scratch);
                } catch (IOException e) {
                    LOG.debug("Could not remove {}: {}", scratch, e.toString());
                }
            }
        }
    }

    /** Contents that lead type detection and the containers' readers down their main paths. */
    private enum WarmUpSample {
        TEXT("warm-up.txt", "Peekaboo warms up before its first mail.\n".getBytes(StandardCharsets.US_ASCII)),
        HTML("warm-up.html", "<!DOCTYPE html><html><body>warm-up</body></html>\n".getBytes(StandardCharsets.US_ASCII)),
        ZIP("warm-up.zip", new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
        MESSAGE("warm-up.eml", ("From: peekaboo@localhost\r\nSubject: warm-up\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nwarm-up\r\n"
                + "--b\r\nContent-Type: application/octet-stream; name=\"w.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nd2FybS11cA==\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII)),
        EMPTY("warm-up", new byte[0]);

        private final String name;
        private final byte[] content;

        WarmUpSample(String name, byte[] content) {
            this.name = name;
            this.content = content;
        }
    }
}
