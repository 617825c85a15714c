package org.peekaboo.amavis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real amavisd-new in the foreground with a configuration of its own: its own home,
 * temporary, database and run directories, SMTP in on a free loopback port, everything it
 * passes on sent to the test's sink, and the Peekaboo plugin and policy included exactly as a
 * site includes them. It runs as user amavis, as installed, so Peekaboo reads part files that
 * another user wrote, as in production.
 */
public final class AmavisInstance implements AutoCloseable {
    public static final Path AMAVISD = Path.of("/usr/sbin/amavisd");
    public static final String PLUGIN_FILE = "50-peekaboo";
    public static final String POLICY_FILE = "55-peekaboo-policy";
    /** The plugin's one site setting: where Peekaboo listens (a socket path or host:port). */
    public static final String SOCKET_VARIABLE = "$peekaboo_socket";
    public static final String USER = "amavis";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path home;
    private final Path tempBase;
    private final Path log;
    private final int port;

    private AmavisInstance(Process process, Path home, Path tempBase, Path log, int port) {
        this.process = process;
        this.home = home;
        this.tempBase = tempBase;
        this.log = log;
        this.port = port;
    }

    /**
     * Writes the configuration under {@code workDir} and starts amavisd, returning once it
     * greets on its SMTP port.
     *
     * @param pluginConfDir     where {@value #PLUGIN_FILE} and {@value #POLICY_FILE} are
     * @param peekabooAddress   the value for the plugin's socket setting (a socket path or host:port)
     * @param sinkPort          where amavis forwards accepted mail and sends notifications
     * @param extraSettings     more Perl settings, written after the plugin and policy
     */
    public static AmavisInstance start(Path workDir, Path pluginConfDir, String peekabooAddress, int sinkPort,
                                       List<String> extraSettings) throws IOException {
        requireRoot();
        Path plugin = requireFile(pluginConfDir.resolve(PLUGIN_FILE));
        Path policy = requireFile(pluginConfDir.resolve(POLICY_FILE));
        String included = "use vars qw(" + SOCKET_VARIABLE + ");\n" + SOCKET_VARIABLE + " = "
                + perlString(peekabooAddress) + ";\ninclude_config_files(" + perlString(plugin.toString()) + ", "
                + perlString(policy.toString()) + ");";
        return start(workDir, sinkPort, included, extraSettings);
    }

    /**
     * An amavisd as above but without the Peekaboo plugin and policy: {@code settings} alone
     * say which scanners it asks and what a failure means, e.g. amavis' own clamd entries.
     */
    public static AmavisInstance startWithoutPlugin(Path workDir, int sinkPort, List<String> settings)
            throws IOException {
        requireRoot();
        return start(workDir, sinkPort, "", settings);
    }

    private static AmavisInstance start(Path workDir, int sinkPort, String included, List<String> extraSettings)
            throws IOException {
        Path home = Files.createDirectories(workDir.resolve("amavis"));
        Path tempBase = Files.createDirectories(home.resolve("tmp"));
        for (String dir : List.of("db", "var", "virusmails")) {
            Files.createDirectories(home.resolve(dir));
        }
        giveToAmavis(home);
        int port = freePort();
        Path config = workDir.resolve("amavisd.conf");
        Files.writeString(config, configuration(home, port, sinkPort, included, extraSettings),
                StandardCharsets.UTF_8);
        // amavis refuses configuration files that others could have written.
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Path log = workDir.resolve("amavisd.log");
        Process process = new ProcessBuilder(AMAVISD.toString(), "-c", config.toString(), "foreground")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        AmavisInstance amavis = new AmavisInstance(process, home, tempBase, log, port);
        try {
            amavis.awaitGreeting();
        } catch (IOException | RuntimeException e) {
            String shown = amavis.log();
            amavis.close();
            throw new IllegalStateException("amavisd did not come up on port " + port + ": " + e.getMessage()
                    + "\n--- amavisd log ---\n" + shown, e);
        }
        return amavis;
    }

    /**
     * @param included the plugin's socket setting and its inclusion, or nothing; the socket is
     *                 set before the plugin is included, which keeps a value it finds, as a site would
     */
    static String configuration(Path home, int port, int sinkPort, String included, List<String> extraSettings) {
        return """
                use strict;
                # Generated by the Peekaboo integration tests: a private amavisd on loopback.
                $MYHOME   = %s;
                $TEMPBASE = "$MYHOME/tmp";
                $ENV{TMPDIR} = $TEMPBASE;
                $db_home   = "$MYHOME/db";
                $pid_file  = "$MYHOME/var/amavisd.pid";
                $lock_file = "$MYHOME/var/amavisd.lock";
                $QUARANTINEDIR = "$MYHOME/virusmails";
                $daemon_user  = 'amavis';
                $daemon_group = 'amavis';
                $myhostname = 'amavis-it.peekaboo.test';
                $mydomain   = 'peekaboo.test';
                # Without a $path amavis finds no helper programs and unpacks no archives.
                $ENV{PATH} = $path = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin:/usr/bin:/bin';
                $DO_SYSLOG = 0;
                $LOGFILE = undef;
                $log_level = 3;
                $inet_socket_bind = '127.0.0.1';
                $inet_socket_port = %d;
                @inet_acl = qw(127.0.0.1);
                $forward_method = 'smtp:[127.0.0.1]:%d';
                $notify_method  = $forward_method;
                $max_servers = 2;
                $enable_db = 0;
                $enable_global_cache = 0;
                @bypass_spam_checks_maps = (1);
                @local_domains_maps = (['.peekaboo.test']);
                %s
                %s
                1;
                """.formatted(perlString(home.toString()), port, sinkPort, included,
                String.join("\n", extraSettings));
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    /** amavis' {@code $TEMPBASE}: where the part files lie that Peekaboo is asked about. */
    public Path tempBase() {
        return tempBase;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything amavisd logged so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The size of the log now, to show later only what one test caused. */
    public long logPosition() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    public String logSince(long position) {
        String all = log();
        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
        int from = (int) Math.min(position, bytes.length);
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    /** Stops amavisd and its children by PID, politely first. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void awaitGreeting() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("amavisd exited with status " + process.exitValue());
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                String greeting = readLine(socket.getInputStream());
                if (greeting.startsWith("220 ")) {
                    return;
                }
                throw new IOException("unexpected greeting: " + greeting);
            } catch (IOException e) {
                last = e;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IOException("no SMTP greeting within " + STARTUP.toSeconds() + " s; last attempt: " + last);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().strip();
    }

    private static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the amavis integration tests must run as root: amavisd switches to user "
                    + USER + " and accepts only configuration files owned by root (running as "
                    + System.getProperty("user.name") + ")");
        }
        if (!Files.isExecutable(AMAVISD)) {
            throw new IllegalStateException(AMAVISD + " is missing: install Debian's amavisd-new package");
        }
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("amavis configuration file " + file + " is missing; set system property"
                    + " peekaboo.amavis.confDir to the plugin's conf.d directory");
        }
        return file;
    }

    /** amavis writes its directories as its own user, after dropping root. */
    private static void giveToAmavis(Path home) throws IOException {
        UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(USER);
        GroupPrincipal group = users.lookupPrincipalByGroupName(USER);
        try (var paths = Files.walk(home)) {
            for (Path path : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-x---"));
            }
        }
    }

    private static String perlString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
