package org.peekaboo.mta;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's rspamd with its stock {@code /etc/rspamd/rspamd.conf}, run in the foreground as
 * {@code _rspamd} with private {@code LOCAL_CONFDIR}, {@code DBDIR}, {@code RUNDIR} and
 * {@code LOGDIR} (the variables rspamd.conf and its includes use), so the host's rspamd
 * configuration and databases are never read or written.
 *
 * <p>{@code local.d} holds exactly the shipped files of {@code config/rspamd/local.d}, with
 * {@code servers} pointed at the test's Peekaboo and {@code scan_mime_parts} as the test asks;
 * everything the test needs beyond them lives in {@code override.d}, so the shipped files are
 * what an admin copies:
 * <ul>
 *   <li>the proxy worker, in milter mode as Debian ships it, on a free loopback port with
 *       its upstream {@code self_scan = yes} (it runs the checks itself, no normal worker needed); the normal
 *       and controller workers disabled and every bind moved to free loopback ports, so the
 *       host's 11332..11335 stay untouched;</li>
 *   <li>no internet here: DNS goes to a loopback UDP port where nothing listens, so each lookup
 *       fails at once (port unreachable) instead of waiting for timeouts; the fuzzy check,
 *       which wants rspamd.com's servers, is off. No Redis is configured, so nothing is cached;</li>
 *   <li>the score actions moved out of reach (a test mail from loopback without DKIM or SPF
 *       scores a few points, and {@code greylist = 4} would soft-reject it). The antivirus
 *       module and {@code force_actions} act through pre-results, which thresholds do not
 *       touch, so this hides nothing of what the tests check.</li>
 * </ul>
 */
public final class RspamdInstance implements MilterDaemon {
    public static final String USER = "_rspamd";
    private static final Path STOCK_CONFIG = Path.of("/etc/rspamd/rspamd.conf");
    /** rspamd compiles its regular expressions at start; on a busy machine this takes a while. */
    private static final Duration START_WAIT = Duration.ofSeconds(120);
    private static final Pattern SERVERS = Pattern.compile("(?m)^(\\s*servers\\s*=\\s*)\"[^\"]*\";");
    private static final Pattern SCAN_MIME_PARTS = Pattern.compile("(?m)^(\\s*scan_mime_parts\\s*=\\s*)\\w+;");

    private final Process process;
    private final Path dir;
    private final int milterPort;

    private RspamdInstance(Process process, Path dir, int milterPort) {
        this.process = process;
        this.dir = dir;
        this.milterPort = milterPort;
    }

    /** The shipped rspamd files: {@code config/rspamd/local.d} of the project. */
    public static Path shippedLocalD() {
        return Path.of(System.getProperty("peekaboo.projectDir", "..")).toAbsolutePath().normalize()
                .resolve("config/rspamd/local.d");
    }

    /**
     * @param dir            gets {@code conf/} (LOCAL_CONFDIR), {@code db/}, {@code run/} and {@code log/}
     * @param clamdServer    the antivirus {@code servers} value, e.g. {@code 127.0.0.1:3310}
     * @param scanMimeParts  true: every attachment on its own; false: the whole message at once
     */
    public static RspamdInstance start(Path dir, String clamdServer, boolean scanMimeParts) throws IOException {
        Path conf = dir.resolve("conf");
        writeLocalD(Files.createDirectories(conf.resolve("local.d")), clamdServer, scanMimeParts);
        int milterPort = EximInstance.freePort();
        writeOverrides(Files.createDirectories(conf.resolve("override.d")), milterPort);
        for (String owned : List.of("db", "run", "log")) {
            Files.createDirectories(dir.resolve(owned));
            PostfixInstance.run(List.of("chown", USER + ":" + USER, dir.resolve(owned).toString()));
        }
        Process process = new ProcessBuilder("rspamd", "-f", "-u", USER, "-g", USER,
                "-c", STOCK_CONFIG.toString(),
                "--var=LOCAL_CONFDIR=" + conf,
                "--var=DBDIR=" + dir.resolve("db"),
                "--var=RUNDIR=" + dir.resolve("run"),
                "--var=LOGDIR=" + dir.resolve("log"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        RspamdInstance instance = new RspamdInstance(process, dir, milterPort);
        instance.awaitProxy();
        return instance;
    }

    /** The shipped files, each with only the lines the test must change rewritten. */
    static void writeLocalD(Path localD, String clamdServer, boolean scanMimeParts) throws IOException {
        try (Stream<Path> shipped = Files.list(shippedLocalD())) {
            for (Path file : shipped.toList()) {
                String text = Files.readString(file);
                if (file.getFileName().toString().equals("antivirus.conf")) {
                    text = replaceOnce(SERVERS, text, "\"" + clamdServer + "\";");
                    text = replaceOnce(SCAN_MIME_PARTS, text, scanMimeParts + ";");
                }
                Files.writeString(localD.resolve(file.getFileName()), text);
            }
        }
    }

    private static String replaceOnce(Pattern setting, String text, String value) {
        Matcher matcher = setting.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("the shipped antivirus.conf has no line " + setting.pattern());
        }
        String replaced = matcher.replaceFirst(Matcher.quoteReplacement(matcher.group(1) + value));
        if (setting.matcher(replaced).results().count() != 1) {
            throw new IllegalStateException("the shipped antivirus.conf sets " + setting.pattern() + " twice");
        }
        return replaced;
    }

    private static void writeOverrides(Path overrideD, int milterPort) throws IOException {
        Files.writeString(overrideD.resolve("worker-proxy.inc"), String.join("\n",
                "bind_socket = \"127.0.0.1:" + milterPort + "\";",
                // self_scan belongs to the upstream; replacing Debian's upstream drops its hosts = "localhost".
                "upstream \"local\" {",
                "  default = yes;",
                "  self_scan = yes;",
                "}",
                ""));
        Files.writeString(overrideD.resolve("worker-normal.inc"), String.join("\n",
                "bind_socket = \"127.0.0.1:" + EximInstance.freePort() + "\";",
                "enabled = false;",
                ""));
        Files.writeString(overrideD.resolve("worker-controller.inc"), String.join("\n",
                "bind_socket = \"127.0.0.1:" + EximInstance.freePort() + "\";",
                "enabled = false;",
                ""));
        Files.writeString(overrideD.resolve("worker-fuzzy.inc"),
                "bind_socket = \"127.0.0.1:" + EximInstance.freePort() + "\";\n");
        Files.writeString(overrideD.resolve("fuzzy_check.conf"), "enabled = false;\n");
        Files.writeString(overrideD.resolve("options.inc"), String.join("\n",
                "dns {",
                "  nameserver = [\"127.0.0.1:" + freeUdpPort() + "\"];",
                "  timeout = 1s;",
                "  retransmits = 1;",
                "}",
                ""));
        Files.writeString(overrideD.resolve("actions.conf"), String.join("\n",
                "reject = 1000;",
                "add_header = 1000;",
                "greylist = 1000;",
                ""));
    }

    /** The proxy worker in milter mode. */
    @Override
    public String milter() {
        return "inet:127.0.0.1:" + milterPort;
    }

    @Override
    public String logs() {
        return MilterDaemon.tails(List.of(dir.resolve("log").resolve("rspamd.log"), dir.resolve("stdout")), 150);
    }

    /** The main process stops its workers on TERM. */
    @Override
    public void close() {
        SmtpDaemon.stop(process);
    }

    /** Bounded: the proxy worker listens within the wait, or rspamd has died and says why. */
    private void awaitProxy() throws IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rspamd exited with " + process.exitValue() + ":\n" + logs());
            }
            if (proxyStarted()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while rspamd started", e);
            }
        }
        String log = logs();
        close();
        throw new IllegalStateException("rspamd's proxy did not start within " + START_WAIT.toSeconds() + " s:\n"
                + log);
    }

    /**
     * The main process binds the port before it forks the workers; the proxy answers a milter
     * only once its process runs, which its log line says.
     */
    private boolean proxyStarted() throws IOException {
        Path log = dir.resolve("log").resolve("rspamd.log");
        if (!Files.exists(log) || !Files.readString(log, StandardCharsets.ISO_8859_1).contains("(rspamd_proxy)")) {
            return false;
        }
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), milterPort)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** A loopback UDP port where nothing listens: datagrams to it are refused at once. */
    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
