package org.peekaboo.mta;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's clamav-milter in the foreground with a configuration file of its own, listening for
 * Postfix on a free loopback port and asking the given clamd socket, with the fail-closed
 * settings docs/clamd.md shows: {@code OnInfected Reject}, {@code OnFail Defer}, and a
 * {@code RejectMsg} naming what Peekaboo found (the milter's default names nothing). It runs as
 * root without {@code User}, so it needs neither the clamav account nor Debian's directories.
 */
public final class ClamavMilterInstance implements MilterDaemon {
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int port;

    private ClamavMilterInstance(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param dir         gets {@code clamav-milter.conf}, {@code tmp/} and {@code milter.log}
     * @param clamdSocket the {@code ClamdSocket} value, e.g. {@code tcp:127.0.0.1:3310}
     */
    public static ClamavMilterInstance start(Path dir, String clamdSocket) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        int port = EximInstance.freePort();
        Path config = Files.writeString(dir.resolve("clamav-milter.conf"), configuration(dir, clamdSocket, port));
        Process process = new ProcessBuilder("clamav-milter", "--config-file=" + config)
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        ClamavMilterInstance instance = new ClamavMilterInstance(process, dir, port);
        instance.awaitListening();
        return instance;
    }

    /** The docs' four lines plus what a private foreground instance needs. */
    static String configuration(Path dir, String clamdSocket, int port) {
        return String.join("\n", List.of(
                "ClamdSocket " + clamdSocket,
                "OnFail Defer",
                "OnInfected Reject",
                "RejectMsg Peekaboo found %v",
                "MilterSocket inet:" + port + "@127.0.0.1",
                "Foreground yes",
                "TemporaryDirectory " + dir.resolve("tmp"),
                "LogFile " + dir.resolve("milter.log"),
                "LogInfected Basic",
                "LogClean Basic",
                "AddHeader Replace",
                ""));
    }

    @Override
    public String milter() {
        return "inet:127.0.0.1:" + port;
    }

    @Override
    public String logs() {
        return MilterDaemon.tails(List.of(dir.resolve("milter.log"), dir.resolve("stdout")), 200);
    }

    @Override
    public void close() {
        SmtpDaemon.stop(process);
    }

    /** Bounded: the milter listens within the wait, or it has exited and says why. */
    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamav-milter exited with " + process.exitValue() + ":\n" + logs());
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while clamav-milter started", e);
                }
            }
        }
        close();
        throw new IllegalStateException("clamav-milter did not listen on port " + port + " within "
                + START_WAIT.toSeconds() + " s:\n" + logs());
    }
}
