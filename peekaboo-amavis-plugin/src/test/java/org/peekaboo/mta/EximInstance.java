package org.peekaboo.mta;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private Exim daemon on a loopback port, with a configuration file written here (not
 * Debian's split configuration), its own spool and log directory, the malware ACL asking the
 * given clamd scanner, and every accepted mail relayed by SMTP to the test's sink.
 *
 * <p>It runs as root with {@code -C}: Exim keeps root privilege for an alternate configuration
 * only when the caller is root (anyone else would lose it, unless the file is in the
 * compiled-in TRUSTED_CONFIG_LIST), and {@code exim_user = root} spares the test the
 * {@code Debian-exim} account and spool ownership, so the binary unpacked by scripts/test
 * (see {@link #binary()}) runs without the package's postinst. Exim refuses uid 0 for a
 * transport (root is compiled into its never_users), so the only transport, SMTP to the sink,
 * runs as {@code nobody}. {@code -bdf} keeps the daemon in the foreground, so the process
 * handle is the daemon itself.
 */
public final class EximInstance implements AutoCloseable {
    /** Where scripts/test unpacks Debian's exim4-daemon-heavy (installing it would remove Postfix). */
    public static final Path UNPACKED = Path.of("/opt/peekaboo-tests/exim4/usr/sbin/exim4");
    private static final Path INSTALLED = Path.of("/usr/sbin/exim4");
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path dir;

    private EximInstance(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The Exim binary: {@code -Dpeekaboo.exim=PATH}, else the unpacked one, else an installed one. */
    public static Path binary() {
        String configured = System.getProperty("peekaboo.exim");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Files.isExecutable(UNPACKED) || !Files.isExecutable(INSTALLED) ? UNPACKED : INSTALLED;
    }

    /**
     * @param dir       gets {@code exim.conf}, {@code spool/} (with {@code spool/scan/}, where Exim
     *                  writes the message it names in SCAN) and {@code log/}
     * @param avScanner the {@code av_scanner} value, e.g. {@code clamd:127.0.0.1 3310}
     * @param sinkPort  where accepted mail goes
     */
    public static EximInstance start(Path dir, String avScanner, int sinkPort) throws IOException {
        Path exim = binary();
        if (!Files.isExecutable(exim)) {
            throw new IllegalStateException("Exim is not at " + exim + "; scripts/test unpacks Debian's "
                    + "exim4-daemon-heavy there (or pass -Dpeekaboo.exim=PATH)");
        }
        Files.createDirectories(scanDir(dir));
        Files.createDirectories(dir.resolve("log"));
        int port = freePort();
        Path config = Files.writeString(dir.resolve("exim.conf"), configuration(dir, avScanner, port, sinkPort));
        Process process = new ProcessBuilder(exim.toString(), "-C", config.toString(), "-bdf", "-oX",
                Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("log/stdout").toFile()).start();
        EximInstance instance = new EximInstance(process, port, dir);
        instance.awaitGreeting();
        return instance;
    }

    /** The directory Exim writes the message to for a scanner (spool_directory/scan). */
    public static Path scanDir(Path dir) {
        return dir.resolve("spool").resolve("scan");
    }

    /**
     * Exactly the configuration docs/clamd.md shows for Exim, plus what a private instance
     * needs: paths, port, no DNS/ident/TLS, and a route to the sink. Over a Unix socket Exim
     * sends {@code SCAN <spool>/scan/<id>/<id>.eml}, hence the scan directory as Peekaboo's
     * allowed directory; over TCP it streams the message with {@code zINSTREAM}. The malware condition has
     * no {@code /defer_ok}, so a scanner failure (an ERROR line, no connection) defers the mail.
     */
    static String configuration(Path dir, String avScanner, int port, int sinkPort) {
        return String.join("\n", List.of(
                "primary_hostname = exim.test",
                "spool_directory = " + dir.resolve("spool"),
                "log_file_path = " + dir.resolve("log") + "/%slog",
                "exim_user = root",
                "exim_group = root",
                "never_users =",
                "daemon_smtp_ports = " + port,
                "local_interfaces = 127.0.0.1",
                "host_lookup =",
                "rfc1413_hosts =",
                "tls_advertise_hosts =",
                "keep_environment =",
                "av_scanner = " + avScanner,
                "acl_smtp_rcpt = acl_check_rcpt",
                "acl_smtp_data = acl_check_data",
                "",
                "begin acl",
                "acl_check_rcpt:",
                "  accept",
                "acl_check_data:",
                "  deny  malware  = *",
                "        message  = This message contains malware ($malware_name)",
                "  accept",
                "",
                "begin routers",
                "to_sink:",
                "  driver = manualroute",
                "  route_list = * 127.0.0.1",
                "  transport = to_sink",
                "  self = send",
                "",
                "begin transports",
                "to_sink:",
                "  driver = smtp",
                "  user = nobody",
                "  port = " + sinkPort,
                "  allow_localhost",
                "",
                "begin retry",
                "* * F,1m,1m",
                ""));
    }

    public int port() {
        return port;
    }

    /** Exim's main and reject log so far, for a failed test's output. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("mainlog", "rejectlog", "paniclog", "stdout")) {
            Path log = dir.resolve("log").resolve(name);
            try {
                if (Files.exists(log)) {
                    text.append("--- ").append(name).append(" ---\n").append(Files.readString(log));
                }
            } catch (IOException e) {
                text.append("--- ").append(name).append(" unreadable: ").append(e).append('\n');
            }
        }
        return text.toString();
    }

    /** Exim's main log, to see what it did with a message. */
    public String mainLog() throws IOException {
        Path log = dir.resolve("log").resolve("mainlog");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        SmtpDaemon.stop(process);
    }

    /** Bounded: Exim either greets within the wait or has died, and then says why in its logs. */
    private void awaitGreeting() throws IOException {
        SmtpDaemon.awaitGreeting("Exim", process, port, START_WAIT, this::logs);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
