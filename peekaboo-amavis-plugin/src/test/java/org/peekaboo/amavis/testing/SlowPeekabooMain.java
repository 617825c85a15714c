package org.peekaboo.amavis.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.peekaboo.cli.Daemon;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
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
        ServerSettings server = new ServerSettings(Path.of(args[0]), 0660, Optional.of(AmavisInstance.USER),
                Optional.empty(), List.of(Path.of(args[2])), Duration.ofSeconds(1), Duration.ofSeconds(120),
                Duration.ofSeconds(10), ServerSettings.DEFAULT_MAX_LINE_LENGTH, ServerSettings.DEFAULT_MAX_PARTS,
                ServerSettings.DEFAULT_MAX_REPLY_SIZE, ServerSettings.DEFAULT_SHUTDOWN_GRACE);
        PeekabooConfig config = new PeekabooConfig(null, AnalysisSettings.defaults(), server,
                new StoreSettings(Path.of(args[1]), Optional.empty()), RulesetSettings.builtIn(),
                new LoggingSettings("INFO"), ClusterSettings.defaults());
        ExecutionCountingRule slow = new ExecutionCountingRule(Duration.ofSeconds(60), name -> {
            System.out.println(SLOW_STARTED + " " + name);
            System.out.flush();
        });
        Daemon daemon = Daemon.start(config, (known, detector, reports) ->
                InProcessPeekaboo.withRule(new RulesetLoader(known, detector).builtIn(), slow, detector));
        daemon.awaitShutdown();
    }
}
