package org.peekaboo.amavis.testing;

import static org.peekaboo.db.schema.tables.Analysis.ANALYSIS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.impl.DSL;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClusterSettings;
import org.peekaboo.config.HostPort;
import org.peekaboo.config.LoggingSettings;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RulesetSettings;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.daemon.Daemon;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseSettings;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.Rule;
import org.peekaboo.ruleset.Ruleset;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.sample.FileTypeDetector;

/**
 * The Peekaboo daemon in this JVM, with the built-in ruleset plus {@link ExecutionCountingRule}
 * after {@code known}, its socket open to group amavis, and amavis' temporary directory as the
 * only allowed directory. The test reads what it stored from the same embedded database.
 */
public final class InProcessPeekaboo implements AutoCloseable {
    private final Daemon daemon;
    private final Database database;
    private final ExecutionCountingRule counter;
    private final Path socket;

    private InProcessPeekaboo(Daemon daemon, Database database, ExecutionCountingRule counter, Path socket) {
        this.daemon = daemon;
        this.database = database;
        this.counter = counter;
        this.socket = socket;
    }

    /**
     * @param workDir    gets {@code run/peekaboo.sock} and {@code data/}; must be traversable by amavis
     * @param allowedDir amavis' {@code $TEMPBASE}
     * @param deadline   the request deadline
     * @param slowness   how long samples declared {@code slow-*} are held
     */
    public static InProcessPeekaboo start(Path workDir, Path allowedDir, Duration deadline, Duration slowness)
            throws IOException {
        return start(workDir, allowedDir, deadline, slowness, Optional.empty());
    }

    /** As above, listening on TCP as well, for amavis entries that name host:port. */
    public static InProcessPeekaboo start(Path workDir, Path allowedDir, Duration deadline, Duration slowness,
                                          Optional<HostPort> listen) throws IOException {
        Path socket = workDir.resolve("run").resolve("peekaboo.sock");
        Path dataDir = workDir.resolve("data");
        ServerSettings server = ServerSettings.builder().socketFile(socket).socketGroup(Optional.of(AmavisInstance.USER))
                .listen(listen).allowedDirs(List.of(allowedDir)).keepAliveInterval(Duration.ofSeconds(1))
                .requestDeadline(deadline).idleTimeout(Duration.ofSeconds(10)).build();
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(3), server,
                new StoreSettings(dataDir, Optional.empty()), RulesetSettings.builtIn(), new LoggingSettings("INFO"),
                ClusterSettings.defaults());
        ExecutionCountingRule counter = new ExecutionCountingRule(slowness, name -> { });
        Daemon daemon = Daemon.start(config, (known, detector, reports) -> withRule(new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn(),
                counter, detector));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        // Same JVM, same URL: H2 hands this second pool the database the daemon has open.
        Database database = Database.open(DatabaseSettings.embedded(dataDir));
        return new InProcessPeekaboo(daemon, database, counter, socket);
    }

    /** The built-in ruleset with the test rule right after {@code known}. */
    public static LoadedRuleset withRule(LoadedRuleset builtIn, Rule rule, FileTypeDetector detector) {
        List<Rule> rules = new ArrayList<>(builtIn.ruleset().rules());
        rules.add(1, rule);
        return new LoadedRuleset(new Ruleset(rules, detector), builtIn.warnings());
    }

    /** The bound TCP port, if TCP was asked for. */
    public Optional<Integer> tcpPort() {
        return daemon.tcpPort();
    }

    public Path socket() {
        return socket;
    }

    public int executions(String nameDeclared) {
        return counter.executions(nameDeclared);
    }

    /** The highest job id so far, to tell the analyses of the next mail from earlier ones. */
    public long lastJobId() {
        Long max = database.dsl().select(DSL.max(ANALYSIS.JOB_ID)).from(ANALYSIS).fetchOne(0, Long.class);
        return max == null ? 0 : max;
    }

    /** Every analysis with a job id above {@code afterJobId}, oldest first. */
    public List<StoredAnalysis> analysesAfter(long afterJobId) {
        return database.dsl().selectFrom(ANALYSIS)
                .where(ANALYSIS.JOB_ID.gt(afterJobId))
                .orderBy(ANALYSIS.JOB_ID)
                .fetch(row -> new StoredAnalysis(row.getJobId(), row.getNameDeclared(), row.getTypeDeclared(),
                        row.getContentDisposition(), row.getState(), row.getResult(), row.getReason(), row.getReport()));
    }

    public List<StoredAnalysis> analysesOf(String nameDeclared) {
        return analysesAfter(0).stream().filter(row -> nameDeclared.equals(row.nameDeclared())).toList();
    }

    @Override
    public void close() {
        database.close();
        daemon.close();
    }
}
