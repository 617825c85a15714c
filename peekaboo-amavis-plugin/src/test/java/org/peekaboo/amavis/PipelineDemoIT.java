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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/pipeline-demo.sh, the native twin of compose.yaml's and compose.rspamd.yaml's
 * pipelines, run as a user runs it, in both topologies: a private Postfix receives the demo
 * mails, amavis (or, behind a sending Postfix, rspamd over the milter protocol) asks Peekaboo,
 * clean mail reaches alice's Maildir and the marked mails are blocked. Ports are free ones
 * rather than the script's defaults, so a Postfix of the machine's own is left alone. Output in
 * target/pipeline-demo.log and target/pipeline-demo-rspamd.log.
 */
class PipelineDemoIT {
    private static final long STEP_MINUTES = 5;
    private static final long MAIL_WAIT_SECONDS = 120;

    @TempDir
    Path dir;
    private Path project;
    private Path demo;

    @BeforeEach
    void demoDirectory() throws IOException {
        project = Path.of(System.getProperty("peekaboo.projectDir")).toAbsolutePath().normalize();
        // amavis, rspamd and Postfix drop privileges and must reach the demo directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        demo = dir.resolve("demo");
    }

    /** The file in target/ that collects the script's output, emptied. */
    private Path log(String name) throws IOException {
        Path log = project.resolve("peekaboo-amavis-plugin/target").resolve(name);
        Files.deleteIfExists(log);
        return log;
    }

    @Test
    void theDemoMailsMeetTheirFateThroughPostfixAmavisAndPeekaboo() throws Exception {
        Path log = log("pipeline-demo.log");
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
            assertThat(peekaboo).contains("result=bad rule=contains_peekabooyar");
            run(project, environment, log, "status");
            assertThat(Files.readString(log)).contains("Blocked INFECTED");
        } finally {
            run(project, environment, log, "down");
        }
    }

    @Test
    void theDemoMailsMeetTheirFateThroughTwoPostfixesRspamdAndPeekaboo() throws Exception {
        Path log = log("pipeline-demo-rspamd.log");
        int smtpPort = freePort();
        Map<String, String> environment = Map.of("DEMO_DIR", demo.toString(), "DEMO_TOPOLOGY", "rspamd",
                "DEMO_SMTP_PORT", String.valueOf(smtpPort), "DEMO_RX_PORT", String.valueOf(freePort()),
                "DEMO_RSPAMD_PORT", String.valueOf(freePort()), "DEMO_CLAMD_PORT", String.valueOf(freePort()));
        try {
            run(project, environment, log, "up");
            run(project, environment, log, "send");

            // send follows every mail at the sending Postfix until it is delivered or bounced.
            String sent = Files.readString(log);
            assertThat(sent).containsPattern("(?m)^clean text attachment: +delivered \\(250 ")
                    .containsPattern("(?m)^PeekabooYar marker attachment: +rejected \\(.*said: 554 .*"
                            + "Peekaboo\\.contains_peekabooyar.*\\), bounced to bob$")
                    .containsPattern("(?m)^marker inside a zip: +rejected \\(.*said: 554 .*"
                            + "Peekaboo\\.contains_peekabooyar.*\\), bounced to bob$");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAIL_WAIT_SECONDS);
            while (!(delivered(demo, "alice").contains("Subject: clean text attachment")
                    && delivered(demo, "bob").size() >= 2)) {
                assertThat(System.nanoTime()).as("mails still on their way; alice has %s, bob %s;%n%s",
                        delivered(demo, "alice"), delivered(demo, "bob"), Files.readString(log)).isLessThan(deadline);
                Thread.sleep(500);
            }
            assertThat(delivered(demo, "alice")).as("alice's Maildir").contains("Subject: clean text attachment")
                    .noneMatch(subject -> subject.contains("marker"));
            assertThat(delivered(demo, "bob")).as("bob's Maildir: the bounces of the rejected mails")
                    .containsOnly("Subject: Undelivered Mail Returned to Sender");
            assertThat(Files.readString(demo.resolve("log/rspamd.log")))
                    .contains("PEEKABOO(0.00){Peekaboo.contains_peekabooyar;}");
            assertThat(Files.readString(demo.resolve("log/peekaboo.log"))).contains("result=bad rule=contains_peekabooyar");
            run(project, environment, log, "status");
            assertThat(Files.readString(log)).contains("reject PEEKABOO(0.00){Peekaboo.contains_peekabooyar;}");

            // Fail closed: without Peekaboo, rspamd's scan fails and force_actions defers the mail.
            long peekaboo = Long.parseLong(Files.readString(demo.resolve("run/peekaboo.pid")).strip());
            ProcessHandle daemon = ProcessHandle.of(peekaboo).orElseThrow();
            daemon.destroy();
            daemon.onExit().get(60, TimeUnit.SECONDS);
            String queueId = swaks(smtpPort, "while Peekaboo is down", log);
            Path txLog = demo.resolve("log/postfix-tx.log");
            while (!Files.readString(txLog).contains(queueId + ": to=<alice@demo.peekaboo.test>")) {
                assertThat(System.nanoTime()).as("the mail sent while Peekaboo is down is still not handed on;%n%s",
                        Files.readString(txLog)).isLessThan(deadline);
                Thread.sleep(500);
            }
            assertThat(Files.readAllLines(txLog).stream().filter(line -> line.contains(queueId + ": to=<alice@")))
                    .as("the sending Postfix' log about %s", queueId)
                    .allMatch(line -> line.contains("status=deferred") && line.contains(" said: 451 4.7.1 "));
            assertThat(delivered(demo, "alice")).noneMatch(subject -> subject.contains("Peekaboo is down"));
        } finally {
            run(project, environment, log, "down");
        }
    }

    /** Sends one mail with a text attachment to the sending Postfix; its queue id. */
    private String swaks(int port, String subject, Path log) throws IOException, InterruptedException {
        Path attachment = Files.writeString(dir.resolve("minutes.txt"), "Minutes of another meeting.\n");
        Process process = new ProcessBuilder("swaks", "--server", "127.0.0.1", "--port", String.valueOf(port),
                "--from", "bob@demo.peekaboo.test", "--to", "alice@demo.peekaboo.test",
                "--header", "Subject: " + subject, "--attach", attachment.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(STEP_MINUTES, TimeUnit.MINUTES)).as("swaks finished").isTrue();
        Files.writeString(log, "\n### swaks\n" + output, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Matcher queued = Pattern.compile("(?m)^<- +250 .*queued as ([0-9A-Za-z]+)")
                .matcher(output);
        assertThat(queued.find()).as("the sending Postfix accepted the mail:%n%s", output).isTrue();
        return queued.group(1);
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
