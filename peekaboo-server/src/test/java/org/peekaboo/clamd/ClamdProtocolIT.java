package org.peekaboo.clamd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.config.ClamdSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.daemon.Daemon;
import org.peekaboo.ruleset.ContainsPeekabooYarRule;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.verdict.RuleResult;

/**
 * The clamd front end in the running daemon, driven by Debian's {@code clamdscan} as the reference
 * client, and compared byte for byte with a real {@code clamd} (Debian's clamav-daemon, started here
 * on a private socket with a one-signature database matching the PeekabooYar marker; freshclam never
 * runs). Where the two differ by design (version string, virus name, STATS numbers) the replies are
 * compared after replacing just those words. Without clamd and clamdscan the class is skipped and
 * says why, unless {@code peekaboo.tests.requireTools} forbids skipping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClamdProtocolIT {
    private static final String REQUIRED_PROPERTY = "peekaboo.tests.requireTools";
    private static final Path CLAMD = Path.of("/usr/sbin/clamd");
    private static final Path CLAMDSCAN = Path.of("/usr/bin/clamdscan");
    private static final String MARKER = ContainsPeekabooYarRule.MARKER;
    private static final long STREAM_MAX = 1024 * 1024;
    private static final Duration READ_WAIT = Duration.ofMillis(1500);

    @TempDir
    static Path dir;

    private Path files;
    private Path peekabooSocket;
    private Path clamdSocket;
    private Daemon daemon;
    private Process clamd;
    private Path clientConfig;
    private Path tcpClientConfig;
    private Path slowSocket;
    private Daemon slowDaemon;
    private int tcpPort;

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CLAMD) || !Files.isExecutable(CLAMDSCAN)) {
            String reason = "clamd and clamdscan are not installed (apt-get install clamav-daemon clamdscan)";
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new AssertionError(reason + ", and " + REQUIRED_PROPERTY + "=true forbids skipping");
            }
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        files = Files.createDirectories(dir.resolve("files"));
        peekabooSocket = dir.resolve("run/peekaboo-clamd.sock");
        ServerSettings server = ServerSettings.builder().socketFile(dir.resolve("run/peekaboo.sock"))
                .allowedDirs(List.of(files)).build();
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(2), server,
                new StoreSettings(dir.resolve("data"), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults())
                .withClamd(ClamdSettings.off().withSocketFile(peekabooSocket)
                        .withListen(new HostPort("127.0.0.1", tcpPort = freePort())).withStreamMaxLength(STREAM_MAX)
                        .withReplyDeadline(Duration.ofSeconds(30)));
        daemon = Daemon.start(config, Daemon.RulesetFactory.from(config));
        slowSocket = dir.resolve("run/slow-clamd.sock");
        PeekabooConfig slowConfig = new PeekabooConfig(null, new AnalysisSettings(2),
                ServerSettings.builder().socketFile(dir.resolve("run/slow.sock")).allowedDirs(List.of(files)).build(),
                new StoreSettings(dir.resolve("slow-data"), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults())
                .withClamd(ClamdSettings.off().withSocketFile(slowSocket).withProfile(ClamdProfile.RSPAMD)
                        .withReplyDeadline(Duration.ofSeconds(1)));
        slowDaemon = Daemon.start(slowConfig, (known, detector, reports) -> {
            LoadedRuleset builtIn = new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn();
            List<Rule> rules = new ArrayList<>(builtIn.ruleset().rules());
            rules.add(1, new SlowRule());
            return new LoadedRuleset(new Ruleset(rules, detector), builtIn.warnings());
        });
        clamd = startClamd();
        clientConfig = Files.writeString(dir.resolve("clamdscan.conf"), "LocalSocket " + peekabooSocket + "\n");
        tcpClientConfig = Files.writeString(dir.resolve("clamdscan-tcp.conf"),
                "TCPSocket " + tcpPort + "\nTCPAddr 127.0.0.1\n");
    }

    private Process startClamd() throws Exception {
        Path home = Files.createDirectories(dir.resolve("clamd"));
        Path db = Files.createDirectories(home.resolve("db"));
        Files.writeString(db.resolve("peekaboo.ndb"), "Peekaboo.Marker:0:*:"
                + HexFormat.of().formatHex(MARKER.getBytes(StandardCharsets.US_ASCII)) + "\n");
        clamdSocket = home.resolve("clamd.sock");
        String user = System.getProperty("user.name");
        Path conf = Files.writeString(home.resolve("clamd.conf"), String.join("\n",
                "LocalSocket " + clamdSocket, "DatabaseDirectory " + db, "Foreground yes",
                "LogFile " + home.resolve("clamd.log"), "TemporaryDirectory " + home, "User " + user,
                "StreamMaxLength " + STREAM_MAX / 1024 + "K", "") );
        Process process = new ProcessBuilder(CLAMD.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("clamd.out").toFile()).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("clamd exited: " + Files.readString(home.resolve("clamd.out")));
            }
            if (Files.exists(clamdSocket) && talk(clamdSocket, bytes("zPING\0"), false).reply().equals("PONG\0")) {
                return process;
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("clamd did not answer PING within 120 s");
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (clamd != null) {
            clamd.destroy();
            if (!clamd.waitFor(10, TimeUnit.SECONDS)) {
                clamd.destroyForcibly();
            }
        }
        for (Daemon running : new Daemon[] {daemon, slowDaemon}) {
            if (running != null) {
                running.close();
            }
        }
    }

    // --- clamdscan as the reference client -------------------------------------------------------

    @Test
    void clamdscanStreamsACleanFileAndHearsOk() throws Exception {
        Path file = Files.writeString(files.resolve("letter.txt"), "Dear colleague, the minutes are attached.\n");
        Result result = clamdscan("--stream", file.toString());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains(file + ": OK");
    }

    @Test
    void clamdscanStreamsTheMarkerAndHearsFound() throws Exception {
        Path file = Files.writeString(files.resolve("marker.txt"), "before " + MARKER + " after\n");
        Result result = clamdscan("--stream", file.toString());
        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(file + ": Peekaboo." + ContainsPeekabooYarRule.NAME + " FOUND");
    }

    @Test
    void aZipWithTheMarkerInsideIsFoundFromItsContent() throws Exception {
        Path zip = files.resolve("invoice-archive");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("docs/readme.txt"));
            out.write(("inside " + MARKER + "\n").getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        }
        Result result = clamdscan("--stream", zip.toString());
        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(" FOUND");
    }

    @Test
    void aWholeMessageIsOpenedAndItsAttachmentJudged() throws Exception {
        String attachment = java.util.Base64.getMimeEncoder().encodeToString(
                ("message attachment " + MARKER + "\n").getBytes(StandardCharsets.US_ASCII));
        Path message = Files.writeString(files.resolve("message"), String.join("\r\n",
                "From: sender@example.org", "To: rcpt@example.org", "Subject: invoice",
                "Message-ID: <clamd-it@example.org>", "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"b1\"", "", "--b1", "Content-Type: text/plain", "",
                "Please find the invoice attached.", "--b1",
                "Content-Type: application/octet-stream; name=\"invoice.bin\"",
                "Content-Disposition: attachment; filename=\"invoice.bin\"", "Content-Transfer-Encoding: base64",
                "", attachment, "--b1--", ""));
        Result result = clamdscan(tcpClientConfig, "--stream", message.toString());
        assertThat(result.exit()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(message + ": Peekaboo.");
    }

    @Test
    void clamdscanOverTcpStreams() throws Exception {
        Path file = Files.writeString(files.resolve("tcp.txt"), "Over TCP.\n");
        Result result = clamdscan(tcpClientConfig, "--stream", file.toString());
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains(file + ": OK");
    }

    @Test
    void clamdscanNamesPathsAndADirectoryWithMultiscan() throws Exception {
        Path parts = Files.createDirectories(files.resolve("parts"));
        Path clean = Files.writeString(parts.resolve("p001"), "Nothing to see here.\n");
        // Content no other test sends: a known sample would be answered by the rule "known".
        Path bad = Files.writeString(parts.resolve("p002"), "multiscan " + MARKER + "\n");

        Result cleanFile = clamdscan(clean.toString());
        assertThat(cleanFile.exit()).as(cleanFile.output()).isZero();
        assertThat(cleanFile.output()).contains(clean + ": OK");

        Result directory = clamdscan("--multiscan", parts.toString());
        assertThat(directory.exit()).as(directory.output()).isEqualTo(1);
        assertThat(directory.output()).contains(bad + ": Peekaboo." + ContainsPeekabooYarRule.NAME + " FOUND")
                .doesNotContain(clean + ": ");
    }

    @Test
    void clamdscanFdpassPassesTheFileAndHearsItsVerdict() throws Exception {
        Path clean = Files.writeString(files.resolve("fd.txt"), "plain text\n");
        Result cleanResult = clamdscan("--fdpass", clean.toString());
        assertThat(cleanResult.exit()).as(cleanResult.output()).isZero();
        assertThat(cleanResult.output()).contains(clean + ": OK");

        Path marker = Files.writeString(files.resolve("fd-marker.txt"), "passed " + MARKER + "\n");
        Result markerResult = clamdscan("--fdpass", marker.toString());
        assertThat(markerResult.exit()).as(markerResult.output()).isEqualTo(1);
        assertThat(markerResult.output()).contains(marker + ": Peekaboo." + ContainsPeekabooYarRule.NAME + " FOUND");
    }

    @Test
    void aVerdictNotThereInTimeIsAnsweredForRspamdAndTheRetryFromTheStore() throws Exception {
        byte[] slow = new byte[SlowRule.SLOW_SIZE];
        java.util.Arrays.fill(slow, (byte) 'a');
        byte[] request = concat(bytes("zINSTREAM\0"), chunk(slow), length(0));

        assertThat(talk(slowSocket, request, false).reply())
                .isEqualTo("stream: Heuristics.Limits.Exceeded.Peekaboo.Unchecked FOUND\0");

        // The analysis went on; once it is stored the retry is answered at once.
        String retry = "";
        for (int attempt = 0; attempt < 30 && !retry.equals("stream: OK\0"); attempt++) {
            Thread.sleep(500);
            retry = talk(slowSocket, request, false).reply();
        }
        assertThat(retry).isEqualTo("stream: OK\0");
    }

    // --- the same bytes to clamd and to Peekaboo ------------------------------------------------

    @Test
    void repliesAndConnectionBehaviourMatchClamd() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("zPING", bytes("zPING\0"));
        cases.put("nPING", bytes("nPING\n"));
        cases.put("old-style PING without newline", bytes("PING"));
        cases.put("old-style PING", bytes("PING\n"));
        cases.put("two commands without session", bytes("nPING\nnPING\n"));
        cases.put("trailing garbage", bytes("nPINGX\n"));
        cases.put("unknown", bytes("zFOO\0"));
        cases.put("END without session", bytes("zEND\0"));
        cases.put("old-style VERSIONCOMMANDS", bytes("VERSIONCOMMANDS\n"));
        cases.put("old-style INSTREAM", bytes("INSTREAM\n"));
        cases.put("SCAN without argument", bytes("nSCAN\n"));
        cases.put("DETSTATS", bytes("zDETSTATS\0"));
        cases.put("VERSION", bytes("nVERSION\n"));
        cases.put("VERSIONCOMMANDS", bytes("zVERSIONCOMMANDS\0"));
        cases.put("clean stream", concat(bytes("zINSTREAM\0"), chunk(bytes("hello ")), chunk(bytes("world")),
                length(0)));
        cases.put("marker stream", concat(bytes("nINSTREAM\n"), chunk(bytes(MARKER)), length(0)));
        cases.put("stream at the limit", concat(bytes("zINSTREAM\0"), chunk(new byte[(int) STREAM_MAX]), length(0)));
        cases.put("stream beyond the limit", concat(bytes("zINSTREAM\0"), chunk(new byte[1000]),
                length(STREAM_MAX - 999)));
        cases.put("session", concat(bytes("zIDSESSION\0zPING\0zINSTREAM\0"), chunk(bytes(MARKER)), length(0),
                bytes("zVERSION\0zINSTREAM\0"), chunk(bytes("fine")), length(0), bytes("zEND\0")));
        cases.put("session with newlines", concat(bytes("nIDSESSION\nnPING\nnEND\n")));
        cases.put("CONTSCAN in session", bytes("zIDSESSION\0zPING\0zCONTSCAN /tmp\0zPING\0"));
        cases.put("MULTISCAN in session", bytes("zIDSESSION\0zMULTISCAN /tmp\0"));
        cases.put("IDSESSION in session", bytes("zIDSESSION\0zIDSESSION\0"));
        cases.put("limit in session", concat(bytes("zIDSESSION\0zPING\0zINSTREAM\0"), length(STREAM_MAX + 1)));
        cases.put("session left open", bytes("nIDSESSION\nnPING\n"));
        cases.put("old-style command in session", bytes("zIDSESSION\0zPING\0PING\n"));

        Path parts = Files.createDirectories(files.resolve("compared"));
        Path clean = Files.writeString(parts.resolve("a-clean.txt"), "Nothing to see here.\n");
        Path bad = Files.writeString(parts.resolve("b-marker.txt"), MARKER + "\n");
        Files.writeString(Files.createDirectories(parts.resolve("sub")).resolve("c-marker"), "x " + MARKER);
        Path cleanDir = Files.createDirectories(files.resolve("compared-clean"));
        Files.writeString(cleanDir.resolve("one"), "clean\n");
        cases.put("SCAN clean file", bytes("zSCAN " + clean + "\0"));
        cases.put("SCAN marker file", bytes("nSCAN " + bad + "\n"));
        cases.put("old-style SCAN", bytes("SCAN " + bad + "\n"));
        cases.put("CONTSCAN directory", bytes("zCONTSCAN " + parts + "\0"));
        cases.put("MULTISCAN directory", bytes("zMULTISCAN " + parts + "\0"));
        cases.put("SCAN clean directory", bytes("nSCAN " + cleanDir + "\n"));
        cases.put("CONTSCAN clean directory", bytes("nCONTSCAN " + cleanDir + "\n"));
        cases.put("SCAN in session", bytes("zIDSESSION\0zSCAN " + bad + "\0zSCAN " + clean + "\0zEND\0"));

        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : cases.entrySet()) {
            // MULTISCAN scans on several threads in clamd and answers as each file is done.
            boolean anyOrder = entry.getKey().contains("MULTISCAN");
            Exchange expected = talk(clamdSocket, entry.getValue(), false).normalized(anyOrder);
            Exchange actual = talk(peekabooSocket, entry.getValue(), false).normalized(anyOrder);
            if (!expected.equals(actual)) {
                differences.add(entry.getKey() + ": clamd " + expected + ", Peekaboo " + actual);
            }
        }
        assertThat(differences).isEmpty();
    }

    @Test
    void passedDescriptorsAreAnsweredAsClamdAnswersThem() throws Exception {
        Path clean = Files.writeString(files.resolve("passed-clean.txt"), "Nothing to see in this one.\n");
        Path marker = Files.writeString(files.resolve("passed-marker.txt"), "passed along " + MARKER + "\n");
        Map<String, Passing> cases = new LinkedHashMap<>();
        cases.put("descriptor after the command", new Passing(bytes("nFILDES\n"), clean, bytes("\0"), new byte[0]));
        cases.put("command and descriptor in one message", new Passing(new byte[0], clean, bytes("zFILDES\0x"),
                new byte[0]));
        cases.put("marker", new Passing(bytes("zFILDES\0"), marker, bytes("\0"), new byte[0]));
        cases.put("not a regular file", new Passing(bytes("zFILDES\0"), null, bytes("\0"), new byte[0]));
        cases.put("session", new Passing(bytes("zIDSESSION\0zFILDES\0"), marker, bytes("\0"),
                bytes("zPING\0zEND\0")));
        cases.put("descriptor without FILDES in a session", new Passing(bytes("zIDSESSION\0zPING\0"), clean,
                bytes("zPING\0"), new byte[0]));
        cases.put("descriptor without the byte after FILDES", new Passing(new byte[0], clean, bytes("nFILDES\n"),
                new byte[0]));
        cases.put("descriptor with the one command of a connection", new Passing(new byte[0], clean,
                bytes("zPING\0"), new byte[0]));

        // With a descriptor that no FILDES takes, clamd 1.4 races its answer against closing the
        // connection: it has been seen to close after nothing, after PONG, or after the whole answer,
        // as its threads happen to run. There Peekaboo's answer must be clamd's whole answer or one
        // that clamd cut short, i.e. each of clamd's is a beginning of Peekaboo's; one clamd
        // answer that equals Peekaboo's ends the comparison early. Every other case must be one of the up
        // to five answers clamd gives.
        Set<String> racy = Set.of("descriptor without FILDES in a session",
                "descriptor with the one command of a connection");
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Passing> entry : cases.entrySet()) {
            Exchange actual = entry.getValue().talk(peekabooSocket).normalized(false);
            List<Exchange> clamdGave = new ArrayList<>();
            for (int attempt = 0; attempt < 5 && !clamdGave.contains(actual); attempt++) {
                clamdGave.add(entry.getValue().talk(clamdSocket).normalized(false));
            }
            boolean same = clamdGave.contains(actual) || racy.contains(entry.getKey())
                    && clamdGave.stream().allMatch(gave -> gave.closed() && actual.closed()
                            && actual.reply().startsWith(gave.reply()));
            if (!same) {
                differences.add(entry.getKey() + ": clamd " + clamdGave + ", Peekaboo " + actual);
            }
        }
        assertThat(differences).isEmpty();

        Exchange withoutDescriptor = talk(peekabooSocket, bytes("nFILDES\nX"), false);
        assertThat(withoutDescriptor).isEqualTo(talk(clamdSocket, bytes("nFILDES\nX"), false));
        assertThat(withoutDescriptor.reply()).isEqualTo("No file descriptor received. ERROR\n");
    }

    @Test
    void aPassedFileIsJudgedWholeEvenUnlinkedAndTheClientsOffsetStays() throws Exception {
        Path file = Files.writeString(files.resolve("unlinked"), MARKER + " at the very start, then more text\n");
        try (FileInputStream open = new FileInputStream(file.toFile())) {
            open.getChannel().position(20);
            Files.delete(file);
            Exchange exchange = new Passing(bytes("nFILDES\n"), null, bytes("\0"), new byte[0])
                    .talk(peekabooSocket, open.getFD());
            assertThat(exchange.reply()).matches("fd\\[\\d+\\]: Peekaboo\\.\\S+ FOUND\n");
            assertThat(open.getChannel().position()).isEqualTo(20);
        }
    }

    @Test
    void everyDescriptorPassedToPeekabooIsClosed() throws Exception {
        Path file = Files.writeString(files.resolve("counted.txt"), "Counted while passed around.\n");
        List<Passing> conversations = List.of(
                new Passing(bytes("zFILDES\0"), file, bytes("\0"), new byte[0]),
                new Passing(new byte[0], file, bytes("zFILDES\0x"), new byte[0]),
                new Passing(bytes("zIDSESSION\0zFILDES\0"), file, bytes("\0"), bytes("zFILDES\0")),
                new Passing(new byte[0], file, bytes("zPING\0"), new byte[0]),
                new Passing(new byte[0], file, bytes("nFILDES\n"), new byte[0]),
                new Passing(bytes("zIDSESSION\0zPING\0"), file, bytes("zPING\0"), new byte[0]),
                new Passing(bytes("zVERSION\0"), file, bytes("zFILDES\0x"), new byte[0]));
        for (int round = 0; round < 5; round++) {
            for (Passing conversation : conversations) {
                conversation.talk(peekabooSocket);
            }
        }
        assertThat(openDescriptorsOf(file)).as("descriptors of %s open in this JVM, Peekaboo's included", file)
                .isZero();
    }

    @Test
    void halfClosingInTheMiddleOfAStreamMatchesClamd() throws Exception {
        byte[] cut = concat(bytes("zINSTREAM\0"), chunk(bytes("abc")), length(10), bytes("12"));
        assertThat(talk(peekabooSocket, cut, true)).isEqualTo(talk(clamdSocket, cut, true));
        byte[] cutCommand = bytes("zPIN");
        assertThat(talk(peekabooSocket, cutCommand, true)).isEqualTo(talk(clamdSocket, cutCommand, true));
    }

    @Test
    void statsHasClamdsShape() throws Exception {
        String pattern = "POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live \\d+  idle \\d+ max \\d+ idle-timeout \\d+\n"
                + "QUEUE: \\d+ items\n(\t.*\n)*\nMEMSTATS: .*\nEND\0";
        assertThat(talk(clamdSocket, bytes("zSTATS\0"), false).reply()).matches(pattern);
        assertThat(talk(peekabooSocket, bytes("zSTATS\0"), false).reply()).matches(pattern);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private record Result(int exit, String output) {
    }

    private Result clamdscan(String... arguments) throws Exception {
        return clamdscan(clientConfig, arguments);
    }

    private Result clamdscan(Path config, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(CLAMDSCAN.toString(), "--config-file=" + config,
                "--no-summary"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("clamdscan did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** What a client saw: the reply bytes, and whether the server closed within the wait. */
    record Exchange(String reply, boolean closed) {
        /**
         * Only what differs by design is evened out: the version and the virus name, and the order of
         * a session's replies (clamd answers as scans finish, Peekaboo in request order; clients match
         * the numbers) and, with {@code anyOrder}, of the lines of one MULTISCAN.
         */
        Exchange normalized(boolean anyOrder) {
            String text = reply.replaceAll("ClamAV [^|\0\n]*", "ClamAV <version>")
                    .replaceAll("fd\\[\\d+\\]", "fd[<n>]")
                    .replaceAll(": \\S+ FOUND", ": <virus> FOUND");
            if (anyOrder && !text.matches("(?s)\\d+: .*")) {
                List<String> lines = new ArrayList<>(List.of(text.split("(?<=[\0\n])")));
                lines.sort(null);
                text = String.join("", lines);
            }
            if (text.matches("(?s)\\d+: .*")) {
                List<String> replies = new ArrayList<>(List.of(text.split("(?<=[\0\n])")));
                // A line without number (a protocol error ending the session) stays after the numbered ones.
                replies.sort(java.util.Comparator.comparingInt(line -> line.matches("(?s)\\d+: .*")
                        ? Integer.parseInt(line.substring(0, line.indexOf(':'))) : Integer.MAX_VALUE));
                text = String.join("", replies);
            }
            return new Exchange(text, closed);
        }

        @Override
        public String toString() {
            return "\"" + reply.replace("\0", "\\0").replace("\n", "\\n") + "\"" + (closed ? " closed" : " open");
        }
    }

    private static Exchange talk(Path socket, byte[] request, boolean halfClose) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return converse(Channels.newInputStream(channel), Channels.newOutputStream(channel), out -> {
                out.write(request);
                out.flush();
                if (halfClose) {
                    channel.shutdownOutput();
                }
            });
        }
    }

    /**
     * A conversation that passes a descriptor: {@code before}, then {@code carrier} in one message
     * with the descriptor of {@code file} (of a socket when null) attached, then {@code after}.
     */
    private record Passing(byte[] before, Path file, byte[] carrier, byte[] after) {
        Exchange talk(Path socket) throws Exception {
            if (file == null) {
                try (AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open()) {
                    return talk(socket, pair.getSocket1().getFileDescriptor());
                }
            }
            try (FileInputStream open = new FileInputStream(file.toFile())) {
                return talk(socket, open.getFD());
            }
        }

        Exchange talk(Path socket, FileDescriptor descriptor) throws Exception {
            try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
                return converse(client.getInputStream(), client.getOutputStream(), out -> {
                    out.write(before);
                    out.flush();
                    client.setOutboundFileDescriptors(descriptor);
                    out.write(carrier);
                    out.flush();
                    out.write(after);
                    out.flush();
                });
            }
        }
    }

    /** Descriptors open in this JVM, Peekaboo's own among them, that refer to {@code file}. */
    private static long openDescriptorsOf(Path file) throws IOException {
        try (java.util.stream.Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).equals(file.toRealPath());
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    private interface Sender {
        void send(OutputStream out) throws IOException;
    }

    /** Sends, then reads the reply until the server closes or {@link #READ_WAIT} passes. */
    private static Exchange converse(InputStream in, OutputStream out, Sender sender) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Future<Boolean> closed = reader.submit(() -> {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (received) {
                        received.write(buffer, 0, n);
                    }
                }
                return true;
            });
            try {
                sender.send(out);
            } catch (IOException e) {
                // The server may close before it has read everything (e.g. after the size limit).
            }
            boolean wasClosed;
            try {
                wasClosed = closed.get(READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                wasClosed = false;
            } catch (java.util.concurrent.ExecutionException e) {
                wasClosed = true;
            }
            synchronized (received) {
                return new Exchange(received.toString(StandardCharsets.UTF_8), wasClosed);
            }
        } finally {
            reader.shutdownNow();
        }
    }

    /** Takes its time over samples of one size, so that the reply deadline comes first. */
    private static final class SlowRule implements Rule {
        static final int SLOW_SIZE = 4321;

        @Override
        public String name() {
            return "slow_for_tests";
        }

        @Override
        public RuleResult evaluate(SampleContext context) throws InterruptedException {
            if (context.sample().size() == SLOW_SIZE) {
                Thread.sleep(3000);
            }
            return RuleResult.proceed(name(), org.peekaboo.verdict.Result.UNKNOWN, "Test rule has waited");
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunk(byte[] data) {
        return ByteBuffer.allocate(4 + data.length).putInt(data.length).put(data).array();
    }

    private static byte[] length(long announced) {
        return ByteBuffer.allocate(4).putInt((int) announced).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
