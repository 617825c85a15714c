package org.peekaboo.mta;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private Postfix instance run as root ({@code postfix -c <dir>/conf start}): its own main.cf
 * and master.cf, queue, data directory and log file, smtpd on a loopback port chosen here, one
 * milter for every mail received over SMTP, and every accepted mail relayed to the test's sink.
 * The host's own Postfix configuration and queue are never touched.
 *
 * <p>{@code milter_default_action = tempfail}: a milter that cannot be reached or does not
 * answer in time makes Postfix answer 4xx, so a mail is never accepted unjudged (fail closed).
 */
public final class PostfixInstance implements AutoCloseable {
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;

    private PostfixInstance(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param dir      gets {@code conf/}, {@code queue/}, {@code data/} and {@code log/}
     * @param milter   the {@code smtpd_milters} value, e.g. {@code inet:127.0.0.1:11332}
     * @param sinkPort where accepted mail goes
     */
    public static PostfixInstance start(Path dir, String milter, int sinkPort) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(dir.resolve("log"));
        Path data = Files.createDirectories(dir.resolve("data"));
        // Postfix's own processes (not root) keep their caches in the data directory.
        run(List.of("chown", "postfix", data.toString()));
        int port = EximInstance.freePort();
        Files.writeString(conf.resolve("main.cf"), mainCf(dir, milter, sinkPort));
        Files.writeString(conf.resolve("master.cf"), masterCf(port));
        PostfixInstance instance = new PostfixInstance(dir, port);
        String started = run(List.of("postfix", "-c", conf.toString(), "start"));
        instance.awaitGreeting(started);
        return instance;
    }

    /**
     * The milter lines are what docs/clamd.md shows for Postfix; the rest makes a private
     * instance: paths, loopback only, no DNS, no local delivery, relay everything to the sink.
     */
    static String mainCf(Path dir, String milter, int sinkPort) {
        return String.join("\n", List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + dir.resolve("data"),
                "myhostname = postfix.test",
                "mydomain = postfix.test",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "smtpd_recipient_restrictions = permit_mynetworks, reject",
                "maillog_file = " + dir.resolve("log").resolve("postfix.log"),
                "maillog_file_prefixes = " + dir.resolve("log"),
                "relayhost = [127.0.0.1]:" + sinkPort,
                "smtp_dns_support_level = disabled",
                "smtp_tls_security_level = none",
                "smtpd_tls_security_level = none",
                "biff = no",
                "smtpd_milters = " + milter,
                "milter_protocol = 6",
                "milter_default_action = tempfail",
                // Retries are the test's business (it resends); nothing should wait in the queue.
                "queue_run_delay = 10s",
                "minimal_backoff_time = 10s",
                "maximal_backoff_time = 20s",
                ""));
    }

    static String masterCf(int port) {
        return String.join("\n", List.of(
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "pickup    unix  n       -       n       60      1       pickup",
                "cleanup   unix  n       -       n       -       0       cleanup",
                "qmgr      unix  n       -       n       300     1       qmgr",
                "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
                "rewrite   unix  -       -       n       -       -       trivial-rewrite",
                "bounce    unix  -       -       n       -       0       bounce",
                "defer     unix  -       -       n       -       0       bounce",
                "trace     unix  -       -       n       -       0       bounce",
                "verify    unix  -       -       n       -       1       verify",
                "flush     unix  n       -       n       1000?   0       flush",
                "proxymap  unix  -       -       n       -       -       proxymap",
                "smtp      unix  -       -       n       -       -       smtp",
                "relay     unix  -       -       n       -       -       smtp",
                "showq     unix  n       -       n       -       -       showq",
                "error     unix  -       -       n       -       -       error",
                "retry     unix  -       -       n       -       -       error",
                "discard   unix  -       -       n       -       -       discard",
                "anvil     unix  -       -       n       -       1       anvil",
                "scache    unix  -       -       n       -       1       scache",
                "postlog   unix-dgram n  -       n       -       1       postlogd",
                ""));
    }

    public int port() {
        return port;
    }

    /** Postfix's log so far, for a failed test's output. */
    public String logs() {
        Path log = dir.resolve("log").resolve("postfix.log");
        try {
            return Files.exists(log) ? Files.readString(log) : "(no Postfix log yet)\n";
        } catch (IOException e) {
            return "Postfix log unreadable: " + e + "\n";
        }
    }

    /** Stops the instance and removes its queue, configuration and log. */
    @Override
    public void close() throws IOException {
        try {
            run(List.of("postfix", "-c", dir.resolve("conf").toString(), "stop"));
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Bounded: Postfix either greets within the wait or says why in its log. */
    private void awaitGreeting(String startOutput) throws IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> greeting = greeting();
            if (greeting.isPresent()) {
                if (!greeting.get().startsWith("220")) {
                    close();
                    throw new IllegalStateException("Postfix greets with " + greeting.get());
                }
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while Postfix started", e);
            }
        }
        String log = logs();
        close();
        throw new IllegalStateException("Postfix did not listen on port " + port + " within "
                + START_WAIT.toSeconds() + " s:\n" + startOutput + log);
    }

    private Optional<String> greeting() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            byte[] line = new byte[512];
            int n = in.read(line);
            socket.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return Optional.of(n <= 0 ? "" : new String(line, 0, n, StandardCharsets.US_ASCII).strip());
        } catch (IOException notYet) {
            return Optional.empty();
        }
    }

    /**
     * Runs a command to its end (bounded) and returns its output; a failure says what it printed.
     * The output goes through a file: {@code postfix start} leaves a daemon behind that would keep
     * a pipe open.
     */
    static String run(List<String> command) throws IOException {
        Path output = Files.createTempFile("pkb-cmd-", ".out");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try {
                if (!process.waitFor(COMMAND_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish within "
                            + COMMAND_WAIT.toSeconds() + " s:\n" + Files.readString(output));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + command, e);
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
