package org.peekaboo.amavis.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.daemon.Daemon;
import org.peekaboo.ruleset.RulesetLoader;

/**
 * Peekaboo in a process of its own, run from the shaded peekaboo.jar plus the test classes,
 * so that a test can kill it with SIGKILL while amavis waits for its answer. Samples declared
 * {@code slow-*} are held for a minute; when one starts, a line {@value #SLOW_STARTED} and the
 * name go to standard output, telling the test that the request is now mid-analysis.
 *
 * <p>Arguments: socket file, data directory, allowed directory.
 */
public final class SlowPeekabooMain {
    public static final String SLOW_STARTED = "SLOW-ANALYSIS-STARTED";

    private SlowPeekabooMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: SlowPeekabooMain SOCKET DATA_DIR ALLOWED_DIR");
        }
        ServerSettings server = ServerSettings.builder().socketFile(Path.of(args[0]))
                .socketGroup(Optional.of(AmavisInstance.USER)).allowedDirs(List.of(Path.of(args[2])))
                .keepAliveInterval(Duration.ofSeconds(1)).requestDeadline(Duration.ofSeconds(120))
                .idleTimeout(Duration.ofSeconds(10)).build();
        PeekabooConfig config = new PeekabooConfig(null, AnalysisSettings.defaults(), server,
                new StoreSettings(Path.of(args[1]), Optional.empty()), RulesetSettings.builtIn(),
                new LoggingSettings("INFO"), ClusterSettings.defaults());
        ExecutionCountingRule slow = new ExecutionCountingRule(Duration.ofSeconds(60), name -> {
            System.out.println(SLOW_STARTED + " " + name);
            System.out.flush();
        });
        Daemon daemon = Daemon.start(config, (known, detector, reports) ->
                InProcessPeekaboo.withRule(new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn(), slow, detector));
        daemon.awaitShutdown();
    }
}
