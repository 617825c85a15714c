package org.peekaboo.amavis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/pipeline-demo.sh, the native twin of compose.yaml's pipeline, run as a user runs it:
 * a private Postfix receives the demo mails, amavis asks Peekaboo, clean mail reaches alice's
 * Maildir and the marked mails are blocked. Ports are free ones rather than the script's
 * defaults, so a Postfix of the machine's own is left alone. Output in target/pipeline-demo.log.
 */
class PipelineDemoIT {
    private static final long STEP_MINUTES = 5;
    private static final long MAIL_WAIT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void theDemoMailsMeetTheirFateThroughPostfixAmavisAndPeekaboo() throws Exception {
        Path project = Path.of(System.getProperty("peekaboo.projectDir")).toAbsolutePath().normalize();
        Path log = project.resolve("peekaboo-amavis-plugin/target/pipeline-demo.log");
        Files.deleteIfExists(log);
        // amavis and Postfix drop privileges and must reach the demo directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path demo = dir.resolve("demo");
        Map<String, String> environment = Map.of("DEMO_DIR", demo.toString(),
                "DEMO_SMTP_PORT", String.valueOf(freePort()), "DEMO_AMAVIS_PORT", String.valueOf(freePort()),
                "DEMO_REINJECT_PORT", String.valueOf(freePort()));
        try {
            run(project, environment, log, "up");
            run(project, environment, log, "send");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAIL_WAIT_SECONDS);
            while (!(delivered(demo, "alice").contains("Subject: clean text attachment")
                    && blocked(demo) >= 2)) {
                assertThat(System.nanoTime()).as("mails still on their way; alice has %s, amavis blocked %d;%n%s",
                        delivered(demo, "alice"), blocked(demo), Files.readString(log)).isLessThan(deadline);
                Thread.sleep(500);
            }
            List<String> alice = delivered(demo, "alice");
            assertThat(alice).as("alice's Maildir").contains("Subject: clean text attachment")
                    .noneMatch(subject -> subject.contains("marker"));
            String peekaboo = Files.readString(demo.resolve("log/peekaboo.log"));
            assertThat(peekaboo).contains("bad by contains_peekabooyar");
            run(project, environment, log, "status");
            assertThat(Files.readString(log)).contains("Blocked INFECTED");
        } finally {
            run(project, environment, log, "down");
        }
    }

    private static void run(Path project, Map<String, String> environment, Path log, String step)
            throws IOException, InterruptedException {
        Files.writeString(log, "\n### pipeline-demo.sh " + step + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder("bash", project.resolve("scripts/pipeline-demo.sh").toString(), step)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(STEP_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("pipeline-demo.sh %s still ran after %d minutes:%n%s", step, STEP_MINUTES, output)
                .isTrue();
        assertThat(process.exitValue()).as("exit code of pipeline-demo.sh %s:%n%s", step, output).isZero();
    }

    /** The Subject lines of the mails in {@code user}'s Maildir. */
    private static List<String> delivered(Path demo, String user) throws IOException {
        Path maildir = demo.resolve("mail").resolve(user).resolve("new");
        List<String> subjects = new ArrayList<>();
        if (!Files.isDirectory(maildir)) {
            return subjects;
        }
        try (Stream<Path> mails = Files.list(maildir)) {
            for (Path mail : mails.toList()) {
                Files.readAllLines(mail, StandardCharsets.ISO_8859_1).stream()
                        .filter(line -> line.startsWith("Subject:")).findFirst().ifPresent(subjects::add);
            }
        }
        return subjects;
    }

    /** Mails amavis blocked as infected, from its log. */
    private static long blocked(Path demo) throws IOException {
        Path amavisLog = demo.resolve("log/amavis.log");
        if (!Files.exists(amavisLog)) {
            return 0;
        }
        return Files.readAllLines(amavisLog, StandardCharsets.ISO_8859_1).stream()
                .filter(line -> line.contains("Blocked INFECTED")).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
