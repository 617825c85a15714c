package org.peekaboo.mta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's MIMEDefang, a private pair of its multiplexor (running the Perl workers with the
 * test's filter file) and its milter on a loopback port, both in the foreground as user
 * {@link #USER} (the multiplexor refuses root), with a spool directory of their own. The workers
 * connect to Peekaboo's clamd socket, so it must be handed to their group; Peekaboo reads the
 * parts MIMEDefang decodes into {@code <spool>/mdefang-*}/Work, which it names with {@code SCAN}
 * (the test's Peekaboo runs as root; a site adds Peekaboo's user to group {@code defang}).
 */
public final class MimeDefangInstance implements AutoCloseable {
    /** The user Debian's package creates and runs MIMEDefang as. */
    public static final String USER = "defang";
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private final Process multiplexor;
    private final Process milter;
    private final int port;
    private final Path dir;

    private MimeDefangInstance(Process multiplexor, Process milter, int port, Path dir) {
        this.multiplexor = multiplexor;
        this.milter = milter;
        this.port = port;
        this.dir = dir;
    }

    /**
     * @param dir         gets {@code spool/} (see {@link #spoolDir}), the filter file, the sockets and logs
     * @param clamdSocket Peekaboo's clamd Unix socket ({@code $ClamdSock}; MIMEDefang's clamd
     *                    functions speak only Unix sockets)
     */
    public static MimeDefangInstance start(Path dir, Path clamdSocket) throws IOException {
        Path spool = Files.createDirectories(spoolDir(dir));
        Path filter = Files.writeString(dir.resolve("mimedefang-filter"), filter(clamdSocket));
        Path multiplexorSocket = dir.resolve("mimedefang-multiplexor.sock");
        PostfixInstance.run(List.of("chown", "-R", USER + ":", dir.toString()));
        Process multiplexor = new ProcessBuilder("mimedefang-multiplexor", "-D", "-U", USER, "-s", multiplexorSocket.toString(),
                "-z", spool.toString(), "-F", filter.toString(), "-m", "1", "-x", "4", "-o",
                dir.resolve("multiplexor.lock").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("multiplexor.log").toFile()).start();
        int port = EximInstance.freePort();
        awaitSocket(multiplexor, multiplexorSocket, dir);
        Process milter = new ProcessBuilder("mimedefang", "-D", "-X", "-U", USER, "-p", "inet:" + port + "@127.0.0.1", "-m",
                multiplexorSocket.toString(), "-z", spool.toString(), "-o", dir.resolve("milter.lock").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("milter.log").toFile()).start();
        MimeDefangInstance instance = new MimeDefangInstance(multiplexor, milter, port, dir);
        instance.awaitMilter();
        return instance;
    }

    /** Where MIMEDefang keeps each message's working directory: Peekaboo's allowed directory. */
    public static Path spoolDir(Path dir) {
        return dir.resolve("spool");
    }

    /**
     * The filter docs/clamd.md shows: a part Peekaboo finds bad rejects the mail (the stock
     * filter would discard it silently), anything MIMEDefang takes for a scanner failure —
     * an ERROR answer, no Peekaboo — tempfails it.
     */
    static String filter(Path clamdSocket) {
        return String.join("\n", List.of(
                "$ClamdSock = '" + clamdSocket + "';",
                "",
                "sub filter_begin {",
                "    my ($entity) = @_;",
                "    my ($code, $category, $action) = message_contains_virus_clamd();",
                "    if ($category eq 'virus') {",
                "        return action_bounce(\"Peekaboo found $VirusName\");",
                "    }",
                "    if ($action eq 'tempfail') {",
                "        return action_tempfail('Attachment not judged yet, try again later');",
                "    }",
                "}",
                "",
                "1;",
                ""));
    }

    /** The {@code smtpd_milters} value for Postfix. */
    public String milter() {
        return "inet:127.0.0.1:" + port;
    }

    /** Both logs so far, for a failed test's output. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("multiplexor.log", "milter.log")) {
            try {
                Path log = dir.resolve(name);
                text.append("--- ").append(name).append(" ---\n").append(Files.exists(log) ? Files.readString(log) : "");
            } catch (IOException e) {
                text.append("--- ").append(name).append(" unreadable: ").append(e).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        SmtpDaemon.stop(milter);
        SmtpDaemon.stop(multiplexor);
    }

    private static void awaitSocket(Process process, Path socket, Path dir) throws IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                SmtpDaemon.stop(process);
                throw new IllegalStateException("the MIMEDefang multiplexor did not make " + socket + ":\n"
                        + Files.readString(dir.resolve("multiplexor.log")));
            }
            pause();
        }
    }

    /** The milter listens once it has connected to the multiplexor; a TCP connect tells. */
    private void awaitMilter() throws IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (true) {
            try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!milter.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("the MIMEDefang milter did not listen on port " + port + ":\n"
                            + logs());
                }
                pause();
            }
        }
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while MIMEDefang started", e);
        }
    }
}
