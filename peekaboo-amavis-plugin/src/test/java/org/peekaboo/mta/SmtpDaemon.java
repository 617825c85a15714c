package org.peekaboo.mta;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Starting and stopping the mail programs a test runs on loopback ports. */
final class SmtpDaemon {
    private SmtpDaemon() {
    }

    /**
     * Waits, bounded, until {@code process} greets on {@code port} with 220; otherwise stops it
     * and fails with what its logs say (it died, greeted otherwise, or never listened).
     */
    static void awaitGreeting(String name, Process process, int port, Duration wait, Supplier<String> logs)
            throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logs.get());
            }
            Optional<String> greeting = greeting(port);
            if (greeting.isPresent()) {
                if (!greeting.get().startsWith("220")) {
                    stop(process);
                    throw new IllegalStateException(name + " greets with " + greeting.get() + ":\n" + logs.get());
                }
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + name + " started", e);
            }
        }
        stop(process);
        throw new IllegalStateException(name + " did not listen on port " + port + " within " + wait.toSeconds()
                + " s:\n" + logs.get());
    }

    /**
     * Stops a program started in the foreground and everything it started, bounded: TERM first,
     * so that it stops its workers and delivery processes itself, then KILL for whatever is left.
     */
    static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** The first line a server on {@code port} sends, or empty while nothing listens there. */
    static Optional<String> greeting(int port) {
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
}
