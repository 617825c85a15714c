package org.peekaboo.mta;

import static org.peekaboo.db.schema.tables.Analysis.ANALYSIS;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.peekaboo.amavis.testing.ExecutionCountingRule;
import org.peekaboo.amavis.testing.InProcessPeekaboo;
import org.peekaboo.amavis.testing.StoredAnalysis;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ClamdProfile;
import org.peekaboo.config.ClamdSettings;
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
import org.peekaboo.ruleset.RulesetLoader;

/**
 * The Peekaboo daemon in this JVM with its clamd front end on a Unix socket and a loopback TCP
 * port, profile {@code exim}, the built-in ruleset plus {@link ExecutionCountingRule} (samples
 * declared {@code slow-*} outlast the reply deadline), and Exim's scan directory as the
 * allowed directory for SCAN. The test reads what was stored from the same embedded database.
 */
public final class ClamdPeekaboo implements AutoCloseable {
    private final Daemon daemon;
    private final Database database;
    private final ExecutionCountingRule counter;
    private final Path clamdSocket;
    private final int clamdPort;

    private ClamdPeekaboo(Daemon daemon, Database database, ExecutionCountingRule counter, Path clamdSocket,
                          int clamdPort) {
        this.daemon = daemon;
        this.database = database;
        this.counter = counter;
        this.clamdSocket = clamdSocket;
        this.clamdPort = clamdPort;
    }

    /**
     * @param workDir       gets {@code run/} (the sockets) and {@code data/}
     * @param allowedDir    Exim's scan directory
     * @param replyDeadline the clamd reply deadline
     * @param slowness      how long samples declared {@code slow-*} are held
     */
    public static ClamdPeekaboo start(Path workDir, Path allowedDir, Duration replyDeadline, Duration slowness)
            throws IOException {
        return start(workDir, allowedDir, replyDeadline, slowness, ClamdProfile.EXIM);
    }

    /** As above, for the client that {@code profile} names. */
    public static ClamdPeekaboo start(Path workDir, Path allowedDir, Duration replyDeadline, Duration slowness,
                                      ClamdProfile profile) throws IOException {
        return start(workDir, allowedDir, replyDeadline, slowness, profile, Optional.empty());
    }

    /** As above, with the clamd socket handed to {@code socketGroup} ({@code [clamd] socket_group}). */
    public static ClamdPeekaboo start(Path workDir, Path allowedDir, Duration replyDeadline, Duration slowness,
                                      ClamdProfile profile, Optional<String> socketGroup) throws IOException {
        Path clamdSocket = workDir.resolve("run").resolve("clamd.sock");
        int clamdPort = EximInstance.freePort();
        Path dataDir = workDir.resolve("data");
        ServerSettings server = ServerSettings.builder().socketFile(workDir.resolve("run").resolve("peekaboo.sock"))
                .allowedDirs(List.of(allowedDir)).build();
        PeekabooConfig config = new PeekabooConfig(null, new AnalysisSettings(3), server,
                new StoreSettings(dataDir, Optional.empty()), RulesetSettings.builtIn(), new LoggingSettings("INFO"),
                ClusterSettings.defaults())
                .withClamd(socketGroup.map(ClamdSettings.off()::withSocketGroup).orElse(ClamdSettings.off())
                        .withSocketFile(clamdSocket).withListen(new HostPort("127.0.0.1", clamdPort))
                        .withProfile(profile).withReplyDeadline(replyDeadline));
        ExecutionCountingRule counter = new ExecutionCountingRule(slowness, name -> { });
        Daemon daemon = Daemon.start(config, (known, detector, reports) -> InProcessPeekaboo.withRule(
                new RulesetLoader(known, detector, Clock.systemUTC(), reports).builtIn(), counter, detector));
        // Same JVM, same URL: H2 hands this second pool the database the daemon has open.
        Database database = Database.open(DatabaseSettings.embedded(dataDir));
        return new ClamdPeekaboo(daemon, database, counter, clamdSocket, clamdPort);
    }

    public Path clamdSocket() {
        return clamdSocket;
    }

    /** {@code av_scanner} for Exim over the Unix socket: Exim names its spool file with SCAN. */
    public String socketScanner() {
        return "clamd:" + clamdSocket;
    }

    /** {@code av_scanner} for Exim over TCP: Exim streams the message with zINSTREAM. */
    public String tcpScanner() {
        return "clamd:127.0.0.1 " + clamdPort;
    }

    /** The loopback TCP port of the clamd front end, for clients configured with host and port. */
    public int clamdPort() {
        return clamdPort;
    }

    /** How many times samples declared under this name were analysed past {@code known}. */
    public int executions(String nameDeclared) {
        return counter.executions(nameDeclared);
    }

    /**
     * Every stored analysis of a member of a message with this name, oldest first. The store
     * keeps a member under its chain, and a stream or spool file carries no declared name of
     * its own, so the chain is {@code <container>/<attachment name>}.
     */
    public List<StoredAnalysis> analysesOfAttachment(String name) {
        return analyses(ANALYSIS.NAME_DECLARED.endsWith("/" + name));
    }

    /**
     * Every stored analysis of these bytes, oldest first, whoever sent them: a part streamed
     * on its own (rspamd per part) carries no name at all, so only its content finds it.
     */
    public List<StoredAnalysis> analysesOfContent(byte[] content) {
        try {
            return analyses(ANALYSIS.SHA256.eq(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private List<StoredAnalysis> analyses(Condition which) {
        return database.dsl().selectFrom(ANALYSIS)
                .where(which)
                .orderBy(ANALYSIS.JOB_ID)
                .fetch(row -> new StoredAnalysis(row.getJobId(), row.getNameDeclared(), row.getTypeDeclared(),
                        row.getContentDisposition(), row.getState(), row.getResult(), row.getReason(),
                        row.getReport()));
    }

    @Override
    public void close() {
        database.close();
        daemon.close();
    }
}
