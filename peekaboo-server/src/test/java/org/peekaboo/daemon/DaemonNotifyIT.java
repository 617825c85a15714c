package org.peekaboo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.HttpSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.systemd.testing.NotifySocket;

/**
 * The daemon as systemd's {@code Type=notify} sees it: started with {@code NOTIFY_SOCKET} naming
 * a real datagram socket of the test's, it says READY only once its listeners accept
 * connections, feeds the watchdog while it serves and says STOPPING when it is closed.
 */
class DaemonNotifyIT {
    private static final Duration ARRIVAL = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void readyComesAfterEveryListenerIsBoundAndStoppingAtClose() throws Exception {
        Path socket = dir.resolve("run/peekaboo.sock");
        int httpPort = freePort();
        PeekabooConfig config = config(socket).withHttp(HttpSettings.off().withListen(new HostPort("127.0.0.1", httpPort)));
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"))) {
            // What systemd would do on READY=1: start what depends on Peekaboo, which connects at once.
            CompletableFuture<List<String>> untilReady = CompletableFuture.supplyAsync(() -> untilReady(systemd, socket, httpPort));
            Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config), true,
                    Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "200000"));
            List<String> startup;
            try {
                startup = untilReady.get(ARRIVAL.toSeconds(), TimeUnit.SECONDS);
                assertThat(startup.getFirst()).isEqualTo("STATUS=Starting: opening the database");
                assertThat(startup).contains("STATUS=Starting: warming up the engine");
                assertThat(startup.getLast()).isEqualTo(
                        "READY=1\nSTATUS=Serving: 2 listeners, 0 in flight, queue 0; database ok\nconnected");
                assertThat(startup).noneMatch(message -> message.startsWith("WATCHDOG"));
                assertThat(systemd.take(ARRIVAL)).as("the watchdog is fed once the daemon serves").isEqualTo("WATCHDOG=1");
            } finally {
                daemon.close();
            }
            List<String> shutdown = new ArrayList<>();
            for (Optional<String> next = systemd.next(Duration.ofMillis(1)); next.isPresent();
                 next = systemd.next(Duration.ofMillis(1))) {
                shutdown.add(next.get());
            }
            List<String> meaningful = shutdown.stream().filter(message -> !message.equals("WATCHDOG=1")).toList();
            assertThat(meaningful).containsExactly(
                    "STOPPING=1\nSTATUS=Stopping: analyses under way get " + config.server().shutdownGrace().toMillis()
                            + " ms to finish",
                    "STATUS=Stopping: answering open requests, closing the database");
            assertThat(systemd.next(Duration.ofMillis(500))).as("silent once stopped").isEmpty();
        }
    }

    @Test
    void withoutNotifySocketTheDaemonStartsAndStopsAsBefore() throws Exception {
        PeekabooConfig config = config(dir.resolve("run/quiet.sock"));
        try (NotifySocket systemd = NotifySocket.atPath(dir.resolve("notify"));
             Daemon daemon = Daemon.start(config, Daemon.RulesetFactory.from(config), false, Map.of())) {
            assertThat(daemon.listeners()).hasSize(1);
            assertThat(systemd.next(Duration.ofMillis(300))).isEmpty();
        }
    }

    /**
     * The notifications up to READY; on READY, whether both listeners accepted a connection
     * then, appended to it as a line of its own.
     */
    private static List<String> untilReady(NotifySocket systemd, Path socket, int httpPort) {
        List<String> messages = new ArrayList<>();
        try {
            while (true) {
                String message = systemd.take(ARRIVAL);
                if (message.startsWith("READY=1")) {
                    messages.add(message + "\n" + connects(socket, httpPort));
                    return messages;
                }
                messages.add(message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String connects(Path socket, int httpPort) {
        try (AFUNIXSocket unix = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
             Socket tcp = new Socket("127.0.0.1", httpPort)) {
            return "connected";
        } catch (IOException e) {
            return "refused: " + e;
        }
    }

    private PeekabooConfig config(Path socket) throws IOException {
        Path files = Files.createDirectories(dir.resolve("amavis-tmp"));
        ServerSettings server = ServerSettings.builder().socketFile(socket).allowedDirs(List.of(files))
                .requestDeadline(Duration.ofSeconds(60)).build();
        return new PeekabooConfig(null, new AnalysisSettings(2), server,
                new StoreSettings(dir.resolve("data"), Optional.empty()), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"), ClusterSettings.defaults());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
