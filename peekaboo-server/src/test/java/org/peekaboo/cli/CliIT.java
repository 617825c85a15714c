package org.peekaboo.cli;

import static org.assertj.core.api.Assertions.assertThat;


import jakarta.activation.DataHandler;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an administrator runs it: {@code peekaboo serve} as its own process,
 * {@code scan}, {@code ping} and {@code config check} as further processes, SIGTERM at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
    static final String MARKER = "X5O!P%@AP-/_(:)_/-X22x8cz2$PeekabooAV-STD-ANTIVIRUS-TEST-FILE!$H+H*";
    private static final Path JAR = Path.of("target", "peekaboo.jar").toAbsolutePath();

    @TempDir
    static Path dir;

    private Path socket;
    private Path files;
    private Process daemon;
    private Path daemonLog;

    @BeforeAll
    void startDaemon() throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        socket = dir.resolve("run/peekaboo.sock");
        files = Files.createDirectories(dir.resolve("files"));
        daemonLog = dir.resolve("daemon.log");
        daemon = serve(socket, dir.resolve("data"), daemonLog);
    }

    /** Starts {@code peekaboo serve} on the embedded store in {@code dataDir} and waits until it is ready. */
    private Process serve(Path socketFile, Path dataDir, Path logFile) throws Exception {
        Process serve = new ProcessBuilder(command("serve", "--socket", socketFile.toString(), "--data-dir",
                dataDir.toString(), "--allow-dir", files.toString()))
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(logFile).contains("ready")) {
            assertThat(serve.isAlive()).as("daemon exited early:\n%s", Files.readString(logFile)).isTrue();
            assertThat(System.nanoTime()).as("daemon not ready:\n%s", Files.readString(logFile))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        return serve;
    }

    @AfterAll
    void stopDaemon() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
            assertThat(log()).contains("Peekaboo stopped");
            assertThat(socket).as("socket removed at shutdown").doesNotExist();
        }
    }

    @Test
    void readyLineNamesTheListener() throws IOException {
        assertThat(log()).containsPattern("ready.*" + java.util.regex.Pattern.quote(socket.toString()));
    }

    @Test
    void scanOfACleanTextFileExitsZero() throws Exception {
        Path clean = Files.writeString(files.resolve("clean.txt"), "Dear colleague, see you tomorrow.\n");

        Run run = run("scan", "--socket", socket.toString(), clean.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("collection: good");
    }

    @Test
    void scanOfTheMarkerExitsOneAndNamesTheRule() throws Exception {
        Path marked = Files.writeString(files.resolve("marked.txt"), "hello " + MARKER + "\n");
        Path clean = Files.writeString(files.resolve("other.txt"), "nothing to see\n");

        Run run = run("scan", "--socket", socket.toString(), marked.toString(), clean.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("contains_peekabooyar").contains("collection: bad");
    }

    @Test
    void scanOfAWholeMessagePrintsEveryPartAndMember() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("docs/readme.txt"));
            out.write("Nothing here.\n".getBytes(StandardCharsets.US_ASCII));
            out.putNextEntry(new ZipEntry("docs/marked.txt"));
            out.write(("Invoice attached. " + MARKER + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom("sender@example.org");
        message.setSubject("Rechnung");
        MimeBodyPart body = new MimeBodyPart();
        body.setText("Please see the attachment.", "utf-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(zip.toByteArray(), "application/zip")));
        attachment.setFileName("Rechnung März.zip");
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        message.setContent(new MimeMultipart(body, attachment));
        message.saveChanges();
        Path eml = files.resolve("mail.eml");
        try (var out = Files.newOutputStream(eml)) {
            message.writeTo(out);
        }

        Run run = run("scan", "--socket", socket.toString(), eml.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out().lines().map(line -> line.replaceAll(" \\(.*", ""))).as(run.toString()).containsExactly(
                "mail.eml: bad",
                "  mail.eml/part 1: good",
                "  mail.eml/Rechnung März.zip: bad",
                "  mail.eml/Rechnung März.zip/docs/readme.txt: good",
                "  mail.eml/Rechnung März.zip/docs/marked.txt: bad",
                "collection: bad");
        assertThat(run.out()).contains("mail.eml: bad (bad by contains_peekabooyar: member "
                + "\"mail.eml/Rechnung März.zip/docs/marked.txt\": The file contains");
    }

    @Test
    void scanOfAFileOutsideTheAllowedDirectoriesIsAnError() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "not for you\n");

        Run run = run("scan", "--socket", socket.toString(), outside.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("is not a readable regular file in the directories Peekaboo may read");
    }

    @Test
    void scanWithoutADaemonIsAnError() throws Exception {
        Run run = run("scan", "--socket", dir.resolve("nobody.sock").toString(), JAR.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("nobody.sock");
    }

    @Test
    void pingAnswers() throws Exception {
        Run run = run("ping", "--socket", socket.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("pong");
    }

    @Test
    void benchSpreadsItsConnectionsOverEveryDaemonItIsGiven() throws Exception {
        Path secondSocket = dir.resolve("run/second.sock");
        Path secondLog = dir.resolve("second.log");
        Process second = serve(secondSocket, dir.resolve("data-second"), secondLog);
        try {
            Run run = run("bench", "--socket", socket.toString(), "--also-socket", secondSocket.toString(),
                    "--dir", files.resolve("bench").toString(), "--files", "40", "--connections", "4");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("files: 40 in 40 requests of up to 1 on 4 connections to 2 daemon(s)")
                    .contains("verdicts: good 40, bad 0, unchecked 0; failed requests 0");
            assertThat(log()).as("first daemon's share").contains(" name=- path=- job=");
            assertThat(Files.readString(secondLog)).as("second daemon's share").contains(" name=- path=- job=");
        } finally {
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void configCheckAcceptsTheShippedConfigurationAndRejectsAnUnknownKey() throws Exception {
        Path config = Path.of("..", "config").toAbsolutePath().normalize();
        Path rules = Files.copy(config.resolve("ruleset.conf"), dir.resolve("ruleset.conf"));
        Path shipped = Files.writeString(dir.resolve("peekaboo.conf"),
                Files.readString(config.resolve("peekaboo.conf"))
                        .replace("/etc/peekaboo/ruleset.conf", rules.toString()));
        assertThat(Files.readString(shipped)).contains(rules.toString());
        Path broken = Files.writeString(dir.resolve("broken.conf"), "[global]\nworker_count: 3\nno_such_key: 1\n");

        Run ok = run("config", "check", shipped.toString());
        Run invalid = run("config", "check", broken.toString());

        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(1);
        assertThat(invalid.err()).contains("broken.conf:3").contains("no_such_key");
    }

    @Test
    void configCheckAcceptsExpressionsOnCortexReportsWhenCortexIsConfigured() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc-cortex"));
        Files.writeString(etc.resolve("ruleset.conf"), """
                [rules]
                rule.1: expressions
                [expressions]
                expression.1: cortexreport.FileInfoReport.mimetype == 'application/pdf' -> ignore
                """);
        // Like every file holding a secret, readable by the owner and group only.
        Files.setPosixFilePermissions(Files.writeString(etc.resolve("analyzers.conf"),
                "[cortex]\nurl: http://127.0.0.1:9\napi_token: t0k3n\n"), PosixFilePermissions.fromString("rw-r-----"));
        Path withCortex = Files.writeString(etc.resolve("peekaboo.conf"),
                "[ruleset]\nconfig: ruleset.conf\n[analyzers]\nconfig: analyzers.conf\n");
        Path withoutCortex = Files.writeString(etc.resolve("no-cortex.conf"), "[ruleset]\nconfig: ruleset.conf\n");

        Run ok = run("config", "check", withCortex.toString());
        Run refused = run("config", "check", withoutCortex.toString());

        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("ruleset.conf:4").contains("needs Cortex");
    }

    @Test
    void helpAndVersionWorkEverywhere() throws Exception {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"--version"},
                new String[] {"serve", "--help"}, new String[] {"scan", "--version"},
                new String[] {"config", "check", "--help"}, new String[] {"bench", "--help"})) {
            Run run = run(args);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isNotBlank();
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        Run run = run("scan", "--no-such-option", JAR.toString());

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("--no-such-option");
    }

    private String log() throws IOException {
        return Files.exists(daemonLog) ? Files.readString(daemonLog, StandardCharsets.UTF_8) : "";
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return command;
    }

    private Run run(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s did not finish", List.of(args)).isTrue();
        return new Run(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err));
    }

    record Run(List<String> args, int exitCode, String out, String err) {
    }
}
