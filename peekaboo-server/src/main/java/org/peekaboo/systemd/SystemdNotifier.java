package org.peekaboo.systemd;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the daemon is doing, as sd_notify(3) does: {@code READY=1}, {@code STATUS=}
 * (kept current while serving, {@link #followStatus}), {@code STOPPING=1} and the watchdog's
 * {@code WATCHDOG=1}, each a datagram to
 * {@code NOTIFY_SOCKET}. Without that socket every call does nothing. A notification that cannot
 * be sent is logged once and otherwise ignored: a daemon that serves mail but cannot tell systemd
 * so is better than one that stops for it (systemd then times the start out on its own).
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final Optional<Target> target;
    private final Optional<Duration> watchdogInterval;
    /** These and the fields below are guarded by {@code this}, as every send is. */
    private boolean failureLogged;
    private boolean closed;
    /** The watchdog's pings and the state line's updates; started with {@link #ready}. */
    private ScheduledExecutorService timer;
    /** The state line last sent, to send a new one only when it differs. */
    private String lastStatus = "";
    /** Whether the state line still follows the daemon: not once it stops, when it says so itself. */
    private boolean following;

    /** Where the datagrams go and the unbound channel they leave by. */
    private record Target(String name, SocketAddress address, AFUNIXDatagramChannel channel) {
    }

    private SystemdNotifier(Optional<Target> target, Optional<Duration> watchdogInterval) {
        this.target = target;
        this.watchdogInterval = watchdogInterval;
    }

    /** Opens the channel to {@code environment}'s socket, if it names one; never fails. */
    public static SystemdNotifier open(NotifyEnvironment environment) {
        Objects.requireNonNull(environment, "environment");
        environment.warnings().forEach(warning -> LOG.warn("{}", warning));
        if (environment.socket().isEmpty()) {
            return new SystemdNotifier(Optional.empty(), Optional.empty());
        }
        String name = environment.socket().get();
        try {
            AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
            // A full queue at systemd's end must not hold up the daemon's start or its watchdog
            // thread: such a message counts as not sent.
            channel.configureBlocking(false);
            return new SystemdNotifier(Optional.of(new Target(name, address(name), channel)),
                    environment.watchdogInterval());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot open a datagram socket to tell systemd ({}) how Peekaboo is doing: {}", name,
                    e.toString());
            return new SystemdNotifier(Optional.empty(), Optional.empty());
        }
    }

    /** A notifier that tells nobody anything. */
    public static SystemdNotifier none() {
        return new SystemdNotifier(Optional.empty(), Optional.empty());
    }

    /**
     * sd_notify's rule: a leading {@code @} stands for the NUL byte that starts a name in
     * Linux' abstract namespace; anything else is a path.
     */
    static SocketAddress address(String name) throws IOException {
        if (name.startsWith("@")) {
            byte[] rest = name.substring(1).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = new byte[rest.length + 1];
            System.arraycopy(rest, 0, bytes, 1, rest.length);
            return AFUNIXSocketAddress.of(bytes);
        }
        return AFUNIXSocketAddress.of(Path.of(name));
    }

    /** Whether anything is sent at all. */
    public boolean enabled() {
        return target.isPresent();
    }

    /**
     * Every listener is bound and the store open: systemd may start what waits for Peekaboo.
     * The watchdog's pings begin here, since systemd only watches a service that has started.
     */
    public synchronized void ready(String status) {
        sendStatus("READY=1\nSTATUS=", status);
        startTimer();
    }

    /** A new state line for {@code systemctl status}. */
    public synchronized void status(String status) {
        sendStatus("STATUS=", status);
    }

    /**
     * After {@link #ready} and until {@link #stopping}, checks {@code line} every {@code interval}
     * on the watchdog's thread and sends it when it has changed: {@code systemctl status} then
     * shows the daemon's state at most one interval late, and systemd gets no more than one
     * message per interval.
     * {@code line} must not block; a failing one is skipped.
     */
    public synchronized void followStatus(Supplier<String> line, Duration interval) {
        if (target.isEmpty() || closed || timer == null) {
            return;
        }
        following = true;
        long nanos = interval.toNanos();
        timer.scheduleWithFixedDelay(() -> {
            String next;
            try {
                next = statusLine(line.get());
            } catch (RuntimeException e) {
                LOG.debug("The state line for systemd could not be made: {}", e.toString());
                return;
            }
            updateStatus(next);
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void updateStatus(String line) {
        if (following && !line.equals(lastStatus)) {
            sendStatus("STATUS=", line);
        }
    }

    private void sendStatus(String prefix, String status) {
        lastStatus = statusLine(status);
        send(prefix + lastStatus);
    }

    /**
     * Shutdown has begun: systemd waits for the exit (up to {@code TimeoutStopSec}) instead of
     * taking the silence for a hang. The watchdog keeps pinging until {@link #close()}, as the
     * engine's grace may outlast a short {@code WatchdogSec}.
     */
    public synchronized void stopping(String status) {
        following = false;
        sendStatus("STOPPING=1\nSTATUS=", status);
    }

    private synchronized void startTimer() {
        if (timer != null || target.isEmpty() || closed) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "peekaboo-systemd");
            // A ping after the daemon has stopped would only lie to systemd.
            thread.setDaemon(true);
            return thread;
        });
        watchdogInterval.ifPresent(interval -> timer.scheduleAtFixedRate(() -> send("WATCHDOG=1"),
                interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** One line, as systemctl shows one: a line break in a message would start a new assignment. */
    private static String statusLine(String status) {
        return status.replaceAll("[\\r\\n]+", " ");
    }

    /** Synchronized with {@link #close()}, so that a ping under way never meets a closed channel. */
    private synchronized void send(String message) {
        if (target.isEmpty() || closed) {
            return;
        }
        Target to = target.get();
        try {
            ByteBuffer datagram = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
            if (to.channel().send(datagram, to.address()) == 0) {
                failed(to, "systemd's socket has no room for it");
            }
        } catch (IOException | RuntimeException e) {
            failed(to, e.toString());
        }
    }

    private void failed(Target to, String why) {
        // Once: a watchdog ping every few seconds to a socket that has gone would flood the log.
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("Cannot tell systemd at {} how Peekaboo is doing (further failures are not logged): {}",
                    to.name(), why);
        }
    }

    /** Stops the watchdog's pings and closes the channel; nothing is sent afterwards. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
            }
        }
        target.ifPresent(to -> {
            try {
                to.channel().close();
            } catch (IOException e) {
                LOG.debug("Closing the channel to systemd failed: {}", e.toString());
            }
        });
    }
}
