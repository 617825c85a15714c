package org.peekaboo.mta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private Haraka (from npm, with its {@code haraka-plugin-clamd}) on a loopback port: the
 * configuration docs/clamd.md shows for Haraka, recipients of the test domain accepted, and
 * every accepted mail forwarded by SMTP to the test's sink. Haraka reads no defaults of its
 * own for files missing from the configuration directory, so the package's stock files are
 * copied first and the test's files written over them.
 */
public final class HarakaInstance implements AutoCloseable {
    /** Where scripts/test installs Haraka and the plugin with npm. */
    public static final Path INSTALLED = Path.of("/opt/peekaboo-tests/haraka");
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path dir;

    private HarakaInstance(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * @param dir         gets {@code config/}, Haraka's {@code queue/} and {@code haraka.log}
     * @param clamdSocket the plugin's {@code clamd_socket}: {@code host:port} or a socket path
     * @param domain      the recipients' domain Haraka accepts mail for
     * @param sinkPort    where accepted mail goes
     */
    public static HarakaInstance start(Path dir, String clamdSocket, String domain, int sinkPort) throws IOException {
        Path haraka = INSTALLED.resolve("node_modules/.bin/haraka");
        if (!Files.isExecutable(haraka)) {
            throw new IllegalStateException("Haraka is not at " + haraka + "; scripts/test installs it there with npm");
        }
        Path config = Files.createDirectories(dir.resolve("config"));
        try (Stream<Path> stock = Files.list(INSTALLED.resolve("node_modules/Haraka/config"))) {
            for (Path file : stock.filter(Files::isRegularFile).toList()) {
                Files.copy(file, config.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        int port = EximInstance.freePort();
        Files.writeString(config.resolve("smtp.ini"), "listen=127.0.0.1:" + port + "\nnodes=0\n");
        Files.writeString(config.resolve("me"), "haraka.test\n");
        Files.writeString(config.resolve("host_list"), domain + "\n");
        Files.writeString(config.resolve("plugins"), "clamd\nrcpt_to.in_host_list\nqueue/smtp_forward\n");
        Files.writeString(config.resolve("smtp_forward.ini"), "host=127.0.0.1\nport=" + sinkPort
                + "\nenable_tls=false\n");
        Files.writeString(config.resolve("clamd.ini"), clamdIni(clamdSocket));
        Path log = dir.resolve("haraka.log");
        Process process = new ProcessBuilder(haraka.toString(), "-c", dir.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HarakaInstance instance = new HarakaInstance(process, port, dir);
        SmtpDaemon.awaitGreeting("Haraka", process, port, START_WAIT, instance::logs);
        return instance;
    }

    /** docs/clamd.md's clamd.ini: every failure a temporary one, every message scanned. */
    static String clamdIni(String clamdSocket) {
        return String.join("\n", List.of(
                "[main]",
                "clamd_socket = " + clamdSocket,
                "timeout = 30",
                "connect_timeout = 10",
                "max_size = 26214400",
                "only_with_attachments = false",
                "",
                "[reject]",
                "virus = true",
                "error = true",
                "",
                "[check]",
                "authenticated = true",
                "relay = true",
                "private_ip = true",
                "local_ip = true",
                ""));
    }

    public int port() {
        return port;
    }

    /** Haraka's log so far, for a failed test's output and to see what it did. */
    public String logs() {
        try {
            Path log = dir.resolve("haraka.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "haraka.log unreadable: " + e;
        }
    }

    @Override
    public void close() {
        SmtpDaemon.stop(process);
    }
}
