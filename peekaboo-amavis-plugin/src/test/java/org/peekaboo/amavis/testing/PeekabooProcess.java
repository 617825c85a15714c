package org.peekaboo.amavis.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.peekaboo.lineprotocol.LineProtocolClient;

/** {@link SlowPeekabooMain} as a child process, to be killed the hard way. */
public final class PeekabooProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private PeekabooProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts the daemon and returns once it answers a ping on its socket.
     *
     * @param workDir gets the process' data directory and its output file
     */
    public static PeekabooProcess start(Path socket, Path workDir, Path allowedDir) throws IOException {
        Path jar = Path.of(System.getProperty("peekaboo.server.jar", "../peekaboo-server/target/peekaboo.jar"));
        Path testClasses = Path.of(System.getProperty("peekaboo.testClasses", "target/test-classes"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build peekaboo-server first"
                    + " (mvn package in the reactor, or scripts/build)");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = workDir.resolve("peekaboo-process.log");
        Process process = new ProcessBuilder(java.toString(), "-cp", jar + File.pathSeparator + testClasses,
                SlowPeekabooMain.class.getName(), socket.toString(), workDir.resolve("data").toString(),
                allowedDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        PeekabooProcess peekaboo = new PeekabooProcess(process, output);
        peekaboo.awaitPong(socket, Duration.ofSeconds(60));
        return peekaboo;
    }

    /**
     * The real daemon, {@code peekaboo serve --config}, started by the checkout's launcher (with
     * its JVM options and start-up cache, as a site runs it); returns once it answers a ping.
     *
     * @param output where the daemon's log goes; appended to, so that restarts share one file
     */
    public static PeekabooProcess serve(Path config, Path socket, Path output) throws IOException {
        Path project = Path.of(System.getProperty("peekaboo.projectDir", "..")).toAbsolutePath().normalize();
        Path launcher = project.resolve("peekaboo");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "serve", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        // The launcher looks for a JDK; the one running the tests is at hand.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        PeekabooProcess peekaboo = new PeekabooProcess(builder.start(), output);
        peekaboo.awaitPong(socket, Duration.ofSeconds(60));
        return peekaboo;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, as a service manager stops the daemon, and waits for it to exit.
     *
     * @return the exit code
     */
    public int terminate(Duration patience) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Peekaboo process " + process.pid() + " did not exit within "
                    + patience.toSeconds() + " s of SIGTERM");
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    /** Waits until a slow analysis of that declared name is under way in the process. */
    public void awaitSlowAnalysis(String nameDeclared, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().lines().anyMatch(line -> line.equals(SlowPeekabooMain.SLOW_STARTED + " " + nameDeclared))) {
                return;
            }
            AmavisInstance.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("Peekaboo did not start analysing " + nameDeclared + " within "
                + timeout.toSeconds() + " s; its output:\n" + output());
    }

    /** SIGKILL: no shutdown hook, no answer to the open conversation, the socket file left behind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Peekaboo process " + process.pid() + " survived SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void awaitPong(Path socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Peekaboo process exited with status " + process.exitValue() + ":\n" + output());
            }
            if (Files.exists(socket)) {
                try {
                    if (LineProtocolClient.unix(socket, Duration.ofSeconds(5)).ping()) {
                        return;
                    }
                } catch (IOException | RuntimeException notYet) {
                    // still starting
                }
            }
            AmavisInstance.sleep(Duration.ofMillis(200));
        }
        process.destroyForcibly();
        throw new IOException("Peekaboo process did not answer a ping within " + timeout.toSeconds() + " s:\n"
                + output());
    }
}
