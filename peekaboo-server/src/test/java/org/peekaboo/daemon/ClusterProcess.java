package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.peekaboo.lineprotocol.LineProtocolClient;
import org.peekaboo.lineprotocol.ScanReply;
import org.peekaboo.sample.SampleDeclaration;

/**
 * A {@link ClusterInstance} running as a process of its own, for the cluster integration
 * tests: its socket and log under the test's directory, its data directory {@code data-<name>}.
 */
record ClusterProcess(String name, Path socket, Process process, Path logFile) {
    /** Far beyond the request deadline: a request that is not answered within it fails the test. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final long WAIT_SECONDS = 60;

    static ClusterProcess start(Path dir, String name, Path allowed, String storeUrl, String countUrl,
                                int leaseSeconds, int deadlineSeconds, int shutdownGraceSeconds) throws IOException {
        Path socket = dir.resolve("run").resolve(name + ".sock");
        Path log = dir.resolve(name + ".log");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ClusterInstance.class.getName(), socket.toString(), allowed.toString(),
                dir.resolve("data-" + name).toString(), storeUrl, countUrl, String.valueOf(leaseSeconds),
                String.valueOf(deadlineSeconds), String.valueOf(shutdownGraceSeconds))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ClusterProcess(name, socket, process, log);
    }

    void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!log().contains("ready")) {
            assertThat(process.isAlive()).as("%s exited early:\n%s", name, log()).isTrue();
            assertThat(System.nanoTime()).as("%s ready:\n%s", name, log()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** One file in one request over the line protocol; fails the test unless the reply names one file. */
    ScanReply.FileVerdict scan(Path file) throws IOException {
        ScanReply reply = LineProtocolClient.unix(socket, CLIENT_TIMEOUT)
                .scan(List.of(new SampleDeclaration(file.toString(), file.getFileName().toString(), null, null)));
        assertThat(reply.files()).as("reply of %s: %s", name, reply.lines()).hasSize(1);
        return reply.files().getFirst();
    }

    /** SIGKILL: no shutdown hook runs, the lock rows stay until their leases expire. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("%s killed", name).isTrue();
    }

    /** SIGTERM, and SIGKILL if it has not stopped within its grace. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
