package org.peekaboo.daemon;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.peekaboo.analysis.AllowedDirectories;
import org.peekaboo.analysis.AnalysisEvents;
import org.peekaboo.analysis.AnalysisEngine;
import org.peekaboo.analysis.AnalysisStore;
import org.peekaboo.analysis.EngineLoad;
import org.peekaboo.analysis.LocalSampleLocks;
import org.peekaboo.analysis.SampleLocks;
import org.peekaboo.analysis.ScanService;
import org.peekaboo.config.CortexSettings;
import org.peekaboo.config.CortexSettingsLoader;
import org.peekaboo.config.IniDocument;
import org.peekaboo.config.PeekabooConfig;
import org.peekaboo.config.RetentionSettings;
import org.peekaboo.config.Secret;
import org.peekaboo.config.ServerSettings;
import org.peekaboo.config.StoreSettings;
import org.peekaboo.cortex.CortexClient;
import org.peekaboo.cortex.CortexReportSource;
import org.peekaboo.expansion.Expander;
import org.peekaboo.db.Database;
import org.peekaboo.db.DatabaseOutage;
import org.peekaboo.db.DatabaseSettings;
import org.peekaboo.db.Purger;
import org.peekaboo.clamd.Clamd;
import org.peekaboo.clamd.StreamSpool;
import org.peekaboo.http.HttpFrontEnd;
import org.peekaboo.http.HttpService;
import org.peekaboo.listener.SpoolDirectory;
import org.peekaboo.lineprotocol.LineProtocol;
import org.peekaboo.lineprotocol.ProtocolSettings;
import org.peekaboo.listener.BoundListener;
import org.peekaboo.listener.ConnectionLimits;
import org.peekaboo.listener.Listeners;
import org.peekaboo.listener.TcpListener;
import org.peekaboo.listener.UnixListener;
import org.peekaboo.metrics.FrontEnd;
import org.peekaboo.metrics.PeekabooMetrics;
import org.peekaboo.office.OleReportSource;
import org.peekaboo.ruleset.KnownResults;
import org.peekaboo.ruleset.LoadedRuleset;
import org.peekaboo.ruleset.ReportSource;
import org.peekaboo.ruleset.RulesetLoader;
import org.peekaboo.ruleset.UnavailableReport;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSpool;
import org.peekaboo.sample.TikaFileTypeDetector;
import org.peekaboo.status.DaemonStatus;
import org.peekaboo.status.StatusCollector;
import org.peekaboo.status.StatusText;
import org.peekaboo.systemd.NotifyEnvironment;
import org.peekaboo.systemd.SystemdNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: store, ruleset, engine and listeners wired together, and taken down
 * in the reverse order so that work in progress is answered and stored.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /**
     * After the engine has answered or abandoned every sample, the answers only need to be
     * written; conversations still open then (e.g. without a request yet) are told to retry.
     */
    private static final Duration ANSWER_FLUSH_TIME = Duration.ofSeconds(1);
    private static final int PURGE_LEASE_INTERVALS = 3;
    /** Often enough to warn before a filling disk stops the database, seldom enough to cost nothing. */
    static final Duration DATA_DIRECTORY_CHECK_INTERVAL = Duration.ofMinutes(1);
    /** Long enough for a loaded database, short enough for an operator waiting at the terminal. */
    static final Duration STATUS_QUERY_TIMEOUT = Duration.ofSeconds(3);
    /** How late systemd's state line may be: often enough to follow a queue, a few messages a minute at most. */
    static final Duration STATUS_LINE_INTERVAL = Duration.ofSeconds(5);

    /** Builds the ruleset once the store it consults and the analyzers it may use exist. */
    @FunctionalInterface
    public interface RulesetFactory {
        /**
         * @param reports further reports rules and expressions may use: {@code olereport}, and
         *                {@code cortexreport} when Cortex is configured
         */
        LoadedRuleset create(KnownResults known, FileTypeDetector detector, List<ReportSource<?>> reports);

        /** The ruleset the configuration names, or the built-in one. */
        static RulesetFactory from(PeekabooConfig config) {
            return (known, detector, reports) -> {
                RulesetLoader loader = new RulesetLoader(known, detector, Clock.systemUTC(), reports);
                return config.ruleset().config()
                        .map(file -> loader.load(IniDocument.load(file)))
                        .orElseGet(loader::builtIn);
            };
        }
    }

    private final Database database;
    private final Optional<CortexClient> cortex;
    private final AnalysisEngine engine;
    private final Listeners listeners;
    private final List<BoundListener> bound;
    private final ScheduledExecutorService purgeScheduler;
    private final Duration shutdownGrace;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Optional<StreamSpool> clamdSpool;
    private final Optional<ExecutorService> blocking;
    private final Optional<SpoolDirectory> httpSpool;
    private final Optional<PeekabooMetrics> metrics;
    private final SystemdNotifier systemd;

    private Daemon(Database database, Optional<CortexClient> cortex, ScheduledExecutorService purgeScheduler,
                   AnalysisEngine engine, Listeners listeners, List<BoundListener> bound, Duration shutdownGrace,
                   Optional<StreamSpool> clamdSpool, Optional<ExecutorService> blocking,
                   Optional<SpoolDirectory> httpSpool, Optional<PeekabooMetrics> metrics, SystemdNotifier systemd) {
        this.metrics = metrics;
        this.systemd = systemd;
        this.clamdSpool = clamdSpool;
        this.httpSpool = httpSpool;
        this.blocking = blocking;
        this.database = database;
        this.cortex = cortex;
        this.shutdownGrace = shutdownGrace;
        this.purgeScheduler = purgeScheduler;
        this.engine = engine;
        this.listeners = listeners;
        this.bound = List.copyOf(bound);
    }

    /** Starts everything, metrics included, or, if any part fails, closes what was started and rethrows. */
    public static Daemon start(PeekabooConfig config, RulesetFactory rulesetFactory) {
        return start(config, rulesetFactory, true);
    }

    /**
     * As {@link #start(PeekabooConfig, RulesetFactory)}; without {@code withMetrics} nothing is
     * counted (the engine's observer does nothing), to measure what the metrics cost.
     */
    public static Daemon start(PeekabooConfig config, RulesetFactory rulesetFactory, boolean withMetrics) {
        return start(config, rulesetFactory, withMetrics, System.getenv());
    }

    /**
     * As {@link #start(PeekabooConfig, RulesetFactory, boolean)}, with the environment read
     * once by the caller: Cortex' API token may come from it, and systemd's {@code
     * NOTIFY_SOCKET} and {@code WATCHDOG_USEC} are taken from it.
     */
    public static Daemon start(PeekabooConfig config, RulesetFactory rulesetFactory, boolean withMetrics,
                               Map<String, String> environment) {
        Objects.requireNonNull(config, "config");
        Map<String, String> env = Map.copyOf(environment);
        SystemdNotifier systemd = SystemdNotifier.open(NotifyEnvironment.from(env, ProcessHandle.current().pid()));
        systemd.status("Starting: opening the database");
        try {
            return start(config, rulesetFactory, withMetrics, env, systemd);
        } catch (RuntimeException | Error e) {
            systemd.close();
            throw e;
        }
    }

    private static Daemon start(PeekabooConfig config, RulesetFactory rulesetFactory, boolean withMetrics,
                                Map<String, String> env, SystemdNotifier systemd) {
        Optional<PeekabooMetrics> metrics = withMetrics ? Optional.of(new PeekabooMetrics(version())) : Optional.empty();
        AnalysisEvents events = metrics.<AnalysisEvents>map(m -> m).orElse(AnalysisEvents.NONE);
        String instanceId = InstanceId.generate();
        Database database = Database.open(databaseSettings(config.store()), config.store().minFreeSpace());
        AnalysisEngine engine = null;
        ScheduledExecutorService purgeScheduler = null;
        Listeners listeners = new Listeners(ConnectionLimits.of(config.server()));
        Optional<CortexClient> cortex = Optional.empty();
        Optional<String> cortexUrl = Optional.empty();
        StreamSpool clamdSpool = null;
        ExecutorService blocking = null;
        SpoolDirectory httpSpool = null;
        try {
            AnalysisStore store = database.analysisStore(instanceId, Clock.systemUTC(),
                    config.store().retention().resultMaxAge());
            List<ReportSource<?>> reports = new ArrayList<>(List.of(OleReportSource.withDefaultLimits()));
            if (config.ruleset().analyzers().isPresent()) {
                CortexSettingsLoader.Loaded analyzers = CortexSettingsLoader.load(config.ruleset().analyzers().get(),
                        env);
                analyzers.warnings().forEach(warning -> LOG.warn("{}", warning));
                if (analyzers.configured().isPresent()) {
                    CortexSettings settings = analyzers.configured().get();
                    cortex = Optional.of(new CortexClient(settings, Clock.systemUTC(), events));
                    cortexUrl = Optional.of(settings.url().toString());
                    reports.add(new CortexReportSource(cortex.get(), settings));
                    LOG.info("Cortex at {}", settings.url());
                } else {
                    // The ruleset is refused if it needs Cortex, naming its rules and what to set.
                    reports.add(new UnavailableReport(CortexReportSource.NAME, analyzers.notConfigured()));
                    LOG.info("Cortex not configured: {}", analyzers.notConfigured());
                }
            }
            FileTypeDetector detector = new TikaFileTypeDetector();
            LoadedRuleset ruleset = rulesetFactory.create(store,
                    metrics.map(m -> m.timing(detector)).orElse(detector), List.copyOf(reports));
            ruleset.warnings().forEach(warning -> LOG.warn("{}", warning));
            ServerSettings serverSettings = config.server();
            List<Path> allowedDirs = new ArrayList<>(serverSettings.allowedDirs());
            if (config.clamd().enabled()) {
                // INSTREAM data waits for the engine in files of this private directory.
                clamdSpool = StreamSpool.create();
                allowedDirs.add(clamdSpool.directory());
            }
            if (config.http().enabled()) {
                // Uploads wait for the engine in files of this private directory.
                httpSpool = SpoolDirectory.create("peekaboo-http-");
                allowedDirs.add(httpSpool.directory());
            }
            AllowedDirectories allowed = AllowedDirectories.of(allowedDirs);
            // Nothing to share with other instances in a database only this process can open.
            SampleLocks locks = database.openToThisProcessOnly()
                    ? new LocalSampleLocks(instanceId)
                    : database.sampleLocks(instanceId);
            SampleReader samples = new SampleReader(LibcFiles.load(), SampleSpool.inTemporaryDirectory(),
                    config.analysis().maxSampleSize());
            engine = new AnalysisEngine(ruleset.ruleset(), store, locks, samples, allowed,
                    new Expander(config.expansion(), samples.spool()), config.analysis(), config.cluster(),
                    Clock.systemUTC(), events);
            AnalysisEngine started = engine;
            metrics.ifPresent(m -> m.watch(started));
            purgeScheduler = schedulePurge(database, locks, config.store().retention());
            scheduleDataDirectoryCheck(purgeScheduler, database);
            systemd.status("Starting: warming up the engine");
            // "Ready" means that the first mail is answered at full speed.
            engine.warmUp();
            UnixListener unix = UnixListener.of(serverSettings.socketFile()).withMode(serverSettings.socketMode());
            if (serverSettings.socketGroup().isPresent()) {
                unix = unix.withGroup(serverSettings.socketGroup().get());
            }
            // Filled as the front ends bind: a status asked for meanwhile names those bound so far.
            List<DaemonStatus.Listener> statusListeners = new CopyOnWriteArrayList<>();
            StatusCollector status = statusCollector(instanceId, statusListeners, database, engine, cortex,
                    cortexUrl);
            List<BoundListener> bound = new ArrayList<>(LineProtocol.listen(listeners,
                    ProtocolSettings.of(serverSettings), counted(metrics, engine, FrontEnd.LINE_PROTOCOL), status,
                    unix, serverSettings.listen().map(address -> TcpListener.of(address, serverSettings.allowedClients()))));
            bound.forEach(listener -> statusListeners.add(new DaemonStatus.Listener(FrontEnd.LINE_PROTOCOL.label(),
                    listener.description(), Optional.empty())));
            LineProtocol.warmUp(unix);
            if (config.clamd().enabled()) {
                blocking = Executors.newVirtualThreadPerTaskExecutor();
                List<BoundListener> clamd = Clamd.listen(listeners, config.clamd(),
                        counted(metrics, engine, FrontEnd.CLAMD), allowed, clamdSpool, blocking, version(),
                        serverSettings.allowedClients());
                clamd.forEach(listener -> statusListeners.add(new DaemonStatus.Listener(FrontEnd.CLAMD.label(),
                        listener.description(), Optional.of((listener.tcp() ? config.clamd().listenProfile()
                        : config.clamd().socketProfile()).label()))));
                bound.addAll(clamd);
            }
            if (config.http().enabled()) {
                if (blocking == null) {
                    blocking = Executors.newVirtualThreadPerTaskExecutor();
                }
                BoundListener http = HttpFrontEnd.listen(listeners, new HttpService(config.http(),
                        counted(metrics, engine, FrontEnd.HTTP), database.httpJobs(instanceId, Clock.systemUTC()),
                        database.journal(), httpSpool, blocking, metrics.map(m -> (Supplier<String>) m::scrape),
                        Clock.systemUTC()), serverSettings.allowedClients());
                statusListeners.add(new DaemonStatus.Listener(FrontEnd.HTTP.label(), http.description(),
                        Optional.empty()));
                bound.add(http);
            }
            LOG.info("Rules: {}", ruleset.ruleset().rules().stream().map(r -> r.name()).toList());
            if (config.source() == null) {
                LOG.info("Embedded try-it-out defaults: clients may name the invoking user's files in {}",
                        allowed.roots());
            } else {
                LOG.info("Clients may name files in {}", allowed.roots());
            }
            LOG.info("Peekaboo {} ready, instance {}, listening on {}", version(), instanceId,
                    String.join(" and ", bound.stream().map(BoundListener::description).toList()));
            systemd.ready(StatusText.systemdLine(status.local()));
            systemd.followStatus(() -> StatusText.systemdLine(status.local()), STATUS_LINE_INTERVAL);
            return new Daemon(database, cortex, purgeScheduler, engine, listeners, bound,
                    serverSettings.shutdownGrace(), Optional.ofNullable(clamdSpool), Optional.ofNullable(blocking),
                    Optional.ofNullable(httpSpool), metrics, systemd);
        } catch (RuntimeException | Error e) {
            listeners.close();
            if (blocking != null) {
                blocking.shutdownNow();
            }
            if (clamdSpool != null) {
                clamdSpool.close();
            }
            if (httpSpool != null) {
                httpSpool.close();
            }
            if (purgeScheduler != null) {
                purgeScheduler.shutdownNow();
            }
            if (engine != null) {
                engine.close(Duration.ZERO);
            }
            cortex.ifPresent(CortexClient::close);
            database.close();
            throw e;
        }
    }

    /**
     * The state the components keep in memory, and the database's lock table unless the
     * database is this process's alone.
     */
    private static StatusCollector statusCollector(String instanceId, List<DaemonStatus.Listener> listeners,
                                                   Database database, EngineLoad engine,
                                                   Optional<CortexClient> cortex, Optional<String> cortexUrl) {
        DatabaseOutage outage = database.outage();
        Supplier<DaemonStatus.Database> databaseState = () -> new DaemonStatus.Database(database.kind(),
                database.maskedUrl(), outage.downSince(), outage.downBecause());
        Supplier<DaemonStatus.Cortex> cortexState = () -> cortex.map(client -> {
            Optional<CortexClient.Failing> failing = client.failing();
            return new DaemonStatus.Cortex(cortexUrl, failing.map(CortexClient.Failing::since),
                    failing.map(CortexClient.Failing::diagnosis));
        }).orElse(DaemonStatus.Cortex.NOT_CONFIGURED);
        Clock clock = Clock.systemUTC();
        return new StatusCollector(version(), instanceId, clock, clock.instant(), () -> List.copyOf(listeners),
                databaseState,
                cortexState, engine, database.openToThisProcessOnly() ? Optional.empty()
                : Optional.of(database.lockHolders()), STATUS_QUERY_TIMEOUT);
    }

    /** The engine as {@code frontEnd} should see it: its requests counted when there are metrics. */
    private static ScanService counted(Optional<PeekabooMetrics> metrics, ScanService engine, FrontEnd frontEnd) {
        return metrics.map(m -> m.countingRequests(engine, frontEnd)).orElse(engine);
    }

    /**
     * The first round one interval after start, then one interval after each round ends, so
     * that rounds of a slow purge never pile up. The purge lock's lease spans a few intervals:
     * an instance that dies holding it keeps the others from purging no longer than that.
     */
    private static ScheduledExecutorService schedulePurge(Database database, SampleLocks locks,
                                                          RetentionSettings retention) {
        Purger purger = database.purger(locks, Clock.systemUTC(), retention.purgeAfter(), retention.purgeBatch(),
                retention.purgeInterval().multipliedBy(PURGE_LEASE_INTERVALS));
        return schedulePurge(purger, retention.purgeInterval());
    }

    /**
     * Free space and file permissions of the embedded database's directory, on the purge's
     * thread: both are housekeeping that may wait for the other.
     */
    private static void scheduleDataDirectoryCheck(ScheduledExecutorService scheduler, Database database) {
        database.dataDirectory().ifPresent(directory -> scheduler.scheduleWithFixedDelay(directory::check,
                DATA_DIRECTORY_CHECK_INTERVAL.toMillis(), DATA_DIRECTORY_CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    /** Runs {@code purger} every {@code interval} on a daemon thread of its own until the result is shut down. */
    static ScheduledExecutorService schedulePurge(Purger purger, Duration interval) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "peekaboo-purge");
            // Never keeps the JVM alive: a round cut short is finished by the next one.
            thread.setDaemon(true);
            return thread;
        });
        long intervalMillis = interval.toMillis();
        // purgeLogged never throws: an exception would cancel every later round silently.
        scheduler.scheduleWithFixedDelay(purger::purgeLogged, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return scheduler;
    }

    /** The version from the jar manifest; a development build says so. */
    public static String version() {
        String version = Daemon.class.getPackage().getImplementationVersion();
        return version != null ? version : "(development build)";
    }

    /**
     * The daemon's metrics, for the HTTP front end's {@code /metrics} (and that front end's own
     * request count: {@link PeekabooMetrics#countingRequests}); empty when started without.
     */
    public Optional<PeekabooMetrics> metrics() {
        return metrics;
    }

    /** What the front ends listen on. */
    public List<BoundListener> listeners() {
        return bound;
    }

    /** The bound TCP port, if TCP is on (useful when port 0 was configured). */
    public Optional<Integer> tcpPort() {
        return bound.stream().map(BoundListener::address)
                .filter(InetSocketAddress.class::isInstance)
                .map(address -> ((InetSocketAddress) address).getPort())
                .findFirst();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops accepting, lets running analyses store their results within {@code [server]
     * shutdown_grace}, interrupts the rest, answers every open request (unchecked what was not
     * decided), releases this instance's lock rows and closes the store. Only the engine waits
     * for the grace; the steps after it take a few seconds at most (the lock release longer
     * only if the database does not answer), so the whole stays bounded by the one setting.
     */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        LOG.info("Peekaboo shutting down; analyses under way get {} ms to finish", shutdownGrace.toMillis());
        systemd.stopping("Stopping: analyses under way get " + shutdownGrace.toMillis() + " ms to finish");
        try {
            purgeScheduler.shutdownNow();
            listeners.stopAccepting();
            engine.close(shutdownGrace);
            systemd.status("Stopping: answering open requests, closing the database");
            cortex.ifPresent(CortexClient::close);
            listeners.close(ANSWER_FLUSH_TIME);
            blocking.ifPresent(ExecutorService::shutdownNow);
            clamdSpool.ifPresent(StreamSpool::close);
            httpSpool.ifPresent(SpoolDirectory::close);
            database.close();
        } finally {
            systemd.close();
            stopped.countDown();
            LOG.info("Peekaboo stopped");
        }
    }

    /** The store settings as the database layer takes them; credentials from the config win over none. */
    static DatabaseSettings databaseSettings(StoreSettings store) {
        DatabaseSettings location = store.url()
                .map(DatabaseSettings::external)
                .orElseGet(() -> DatabaseSettings.embedded(store.dataDir()));
        return new DatabaseSettings(location.url(), store.user().orElse(location.user()),
                store.password().map(Secret::value).orElse(location.password()), store.poolSize(),
                store.connectTimeout());
    }
}
