package org.peekaboo.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peekaboo.systemd.testing.NotifySocket;
import org.slf4j.LoggerFactory;

/** The notifications as systemd's socket receives them, over a real Unix datagram socket. */
class SystemdNotifierTest {
    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        ((Logger) LoggerFactory.getLogger(SystemdNotifier.class)).addAppender(log);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(SystemdNotifier.class)).detachAppender(log);
    }

    @Test
    void readyStatusAndStoppingArriveInTheOrderSent() throws IOException {
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"));
             SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", systemd.name()))) {
            assertThat(notifier.enabled()).isTrue();
            notifier.status("Starting: opening the database");
            notifier.ready("Serving: 2 listeners, database ok");
            notifier.status("Serving: 2 listeners,\ndatabase ok");
            notifier.stopping("Stopping: analyses under way get 5000 ms to finish");

            assertThat(systemd.take(ARRIVAL)).isEqualTo("STATUS=Starting: opening the database");
            assertThat(systemd.take(ARRIVAL)).isEqualTo("READY=1\nSTATUS=Serving: 2 listeners, database ok");
            assertThat(systemd.take(ARRIVAL)).as("one line, or systemd reads a second assignment")
                    .isEqualTo("STATUS=Serving: 2 listeners, database ok");
            assertThat(systemd.take(ARRIVAL))
                    .isEqualTo("STOPPING=1\nSTATUS=Stopping: analyses under way get 5000 ms to finish");
        }
        assertThat(log.list).isEmpty();
    }

    @Test
    void anAbstractNameIsReachedWithoutAFile() throws IOException {
        String name = "peekaboo-test/" + UUID.randomUUID();
        try (NotifySocket systemd = NotifySocket.abstractNamed(name);
             SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", "@" + name))) {
            notifier.ready("Serving: 1 listener, database ok");
            assertThat(systemd.take(ARRIVAL)).isEqualTo("READY=1\nSTATUS=Serving: 1 listener, database ok");
        }
        assertThat(log.list).isEmpty();
    }

    @Test
    void theWatchdogIsPingedFromReadyUntilClosed() throws IOException {
        // 100 ms: a ping every 50 ms.
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"))) {
            SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "100000"));
            assertThat(systemd.next(Duration.ofMillis(500))).as("no pings before the daemon is ready").isEmpty();
            notifier.ready("Serving: 1 listener, database ok");
            assertThat(systemd.take(ARRIVAL)).startsWith("READY=1");
            List<String> window = receiveFor(systemd, Duration.ofSeconds(1));
            assertThat(window).containsOnly("WATCHDOG=1");
            assertThat(window).as("about 20 expected in a second; generous for a loaded machine").hasSizeBetween(2, 40);

            notifier.stopping("Stopping");
            notifier.close();
            List<String> queued = drain(systemd);
            assertThat(queued).contains("STOPPING=1\nSTATUS=Stopping");
            assertThat(systemd.next(Duration.ofMillis(500))).as("nothing after close").isEmpty();
        }
    }

    @Test
    void theStateLineFollowsTheDaemonWithChangesOnlyUntilItStops() throws IOException {
        AtomicReference<String> state = new AtomicReference<>("Serving: 1 listener, 0 in flight, queue 0; database ok");
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"));
             SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", systemd.name()))) {
            notifier.ready(state.get());
            notifier.followStatus(state::get, Duration.ofMillis(20));
            assertThat(systemd.take(ARRIVAL)).isEqualTo("READY=1\nSTATUS=" + state.get());
            assertThat(systemd.next(Duration.ofMillis(300))).as("ten checks of an unchanged line").isEmpty();

            state.set("Serving: 1 listener, 2 in flight (oldest 1 s), queue 0;\ndatabase unavailable since 12:03:04 UTC");
            assertThat(systemd.take(ARRIVAL))
                    .isEqualTo("STATUS=Serving: 1 listener, 2 in flight (oldest 1 s), queue 0; database unavailable"
                            + " since 12:03:04 UTC");
            assertThat(systemd.next(Duration.ofMillis(300))).as("sent once").isEmpty();

            notifier.stopping("Stopping");
            state.set("Serving: 1 listener, 0 in flight, queue 0; database ok");
            assertThat(systemd.take(ARRIVAL)).isEqualTo("STOPPING=1\nSTATUS=Stopping");
            assertThat(systemd.next(Duration.ofMillis(300))).as("the stopping line stays").isEmpty();
        }
        assertThat(log.list).isEmpty();
    }

    @Test
    void aLongWatchdogTimeoutIsNotPingedEarly() throws IOException {
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"));
             SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "3600000000"))) {
            notifier.ready("Serving: 1 listener, database ok");
            assertThat(systemd.take(ARRIVAL)).startsWith("READY=1");
            assertThat(systemd.next(Duration.ofSeconds(1))).as("the first ping is half an hour away").isEmpty();
        }
    }

    @Test
    void aWatchdogOfAnotherProcessIsLeftAlone() throws IOException {
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"));
             SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "100000",
                     "WATCHDOG_PID", Long.toString(PID + 1)))) {
            notifier.ready("Serving: 1 listener, database ok");
            assertThat(systemd.take(ARRIVAL)).startsWith("READY=1");
            assertThat(systemd.next(Duration.ofMillis(500))).as("ten intervals without a ping").isEmpty();
        }
    }

    @Test
    void anUnreachableSocketIsLoggedOnceAndIgnored() {
        try (SystemdNotifier notifier = open(Map.of("NOTIFY_SOCKET", dir.resolve("gone").toString(),
                "WATCHDOG_USEC", "20000"))) {
            assertThat(notifier.enabled()).isTrue();
            notifier.status("Starting");
            notifier.ready("Serving: 1 listener, database ok");
            notifier.status("Serving");
            notifier.stopping("Stopping");
        }
        assertThat(log.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains(dir.resolve("gone").toString());
        });
    }

    @Test
    void withoutNotifySocketNothingIsSentAnywhere() throws IOException {
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"));
             SystemdNotifier notifier = open(Map.of("WATCHDOG_USEC", "100000"))) {
            assertThat(notifier.enabled()).isFalse();
            notifier.ready("Serving");
            notifier.stopping("Stopping");
            assertThat(systemd.next(Duration.ofMillis(300))).isEmpty();
        }
        assertThat(log.list).isEmpty();
    }

    private static SystemdNotifier open(Map<String, String> environment) {
        return SystemdNotifier.open(NotifyEnvironment.from(environment, PID));
    }

    /** Everything that arrives within about {@code span}. */
    private static List<String> receiveFor(NotifySocket systemd, Duration span) throws IOException {
        List<String> received = new ArrayList<>();
        long end = System.nanoTime() + span.toNanos();
        for (long left = span.toNanos(); left > 0; left = end - System.nanoTime()) {
            systemd.next(Duration.ofNanos(Math.max(left, 1_000_000))).ifPresent(received::add);
        }
        return received;
    }

    /** What is already queued at the socket. */
    private static List<String> drain(NotifySocket systemd) throws IOException {
        List<String> received = new ArrayList<>();
        for (Optional<String> next = systemd.next(Duration.ofMillis(1)); next.isPresent();
             next = systemd.next(Duration.ofMillis(1))) {
            received.add(next.get());
        }
        return received;
    }
}
