package org.peekaboo.daemon;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.peekaboo.cli.Logging;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * One {@code peekaboo serve} of a test cluster, run as a process of its own: the built-in
 * ruleset with {@link CountedAnalysis} after the {@code known} rule. Arguments: socket file,
 * allowed directory, data directory, store JDBC URL, JDBC URL of the database that holds the
 * {@code rule_execution} table, lease in seconds, request deadline in seconds, shutdown grace
 * in seconds. The instance's name is the socket file's name without {@code .sock}. Stops on SIGTERM.
 */
public final class ClusterInstance {
    static final Duration ANALYSIS_TIME = Duration.ofSeconds(2);
    /** Declared names starting with this are analysed without a pause. */
    static final String QUICK = "quick-";
    /**
     * A declared name {@code slow-on-<instance>-…} makes that instance's analysis take
     * {@link #SLOW_ANALYSIS_TIME}, longer than any test waits; other instances take the usual time.
     */
    static final String SLOW_ON = "slow-on-";
    static final Duration SLOW_ANALYSIS_TIME = Duration.ofMinutes(10);

    private ClusterInstance() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path allowed = Path.of(args[1]);
        Path dataDir = Path.of(args[2]);
        String storeUrl = args[3];
        String countUrl = args[4];
        Duration lease = Duration.ofSeconds(Long.parseLong(args[5]));
        Duration deadline = Duration.ofSeconds(Long.parseLong(args[6]));
        Duration shutdownGrace = Duration.ofSeconds(Long.parseLong(args[7]));
        ServerSettings server = ServerSettings.builder().socketFile(socket).socketMode(0600)
                .allowedDirs(List.of(allowed)).keepAliveInterval(Duration.ofSeconds(1)).requestDeadline(deadline)
                .shutdownGrace(shutdownGrace).build();
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(4), server,
                new StoreSettings(dataDir, Optional.of(storeUrl)), new RulesetSettings(Optional.empty()),
                new LoggingSettings("INFO"),
                new ClusterSettings(lease, Duration.ofSeconds(1), Duration.ofMillis(200)));
        Logging.apply(config.logging());
        String name = socket.getFileName().toString().replaceFirst("\\.sock$", "");
        // A pool, not a connection per execution: thousands of quick analyses would mostly connect.
        HikariDataSource counts = new HikariDataSource();
        counts.setJdbcUrl(countUrl);
        counts.setMaximumPoolSize(config.analysis().workerCount());
        Daemon daemon = Daemon.start(config, (known, detector, reports) -> {
            LoadedRuleset builtIn = new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn();
            List<Rule> rules = new ArrayList<>(builtIn.ruleset().rules());
            rules.add(1, new CountedAnalysis(counts, name, ProcessHandle.current().pid()));
            return new LoadedRuleset(new Ruleset(rules, detector), builtIn.warnings());
        });
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "cluster-instance-shutdown"));
        daemon.awaitShutdown();
    }

    /**
     * Stands for an expensive analysis step: records that it started (before it sleeps, so a
     * killed analysis counts too), then takes {@link #ANALYSIS_TIME}, or as long as the
     * sample's declared name asks for ({@link #QUICK}, {@link #SLOW_ON}).
     */
    private record CountedAnalysis(DataSource counts, String instanceName, long pid) implements Rule {
        @Override
        public String name() {
            return "counted_analysis";
        }

        @Override
        public RuleResult evaluate(SampleContext context) throws SQLException, InterruptedException {
            try (Connection connection = counts.getConnection();
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO rule_execution (sha256, instance) VALUES (?, ?)")) {
                insert.setString(1, context.sample().sha256());
                insert.setString(2, instanceName + "-" + pid);
                insert.executeUpdate();
            }
            Thread.sleep(analysisTime(context.sample().nameDeclared()).toMillis());
            return RuleResult.proceed(name(), Result.UNKNOWN, "analysed by " + instanceName + "-" + pid);
        }

        private Duration analysisTime(String declaredName) {
            if (declaredName == null) {
                return ANALYSIS_TIME;
            }
            if (declaredName.startsWith(QUICK)) {
                return Duration.ZERO;
            }
            if (declaredName.startsWith(SLOW_ON + instanceName + "-")) {
                return SLOW_ANALYSIS_TIME;
            }
            return ANALYSIS_TIME;
        }
    }
}
