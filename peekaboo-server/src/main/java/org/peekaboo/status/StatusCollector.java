package org.peekaboo.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.peekaboo.analysis.EngineLoad;

/**
 * Gathers the daemon's status from the components the daemon wired: their state in memory, and
 * the lock table from the database. A lock table that cannot be read within the query timeout
 * does not fail the status: the database is then reported unavailable, with the reason.
 */
public final class StatusCollector implements StatusSource {
    /** Each gathering on a thread of its own: a status request must never wait for another. */
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("peekaboo-status").start(task);

    private final String version;
    private final String instanceId;
    private final Clock clock;
    private final Instant startedAt;
    private final Supplier<List<DaemonStatus.Listener>> listeners;
    private final Supplier<DaemonStatus.Database> database;
    private final Supplier<DaemonStatus.Cortex> cortex;
    private final EngineLoad engine;
    private final Optional<LockHolders> lockHolders;
    private final Duration queryTimeout;

    /**
     * @param listeners    the listeners bound so far
     * @param database     the database's state as its outage tracking knows it, without asking it
     * @param cortex       Cortex' state as its client knows it
     * @param lockHolders  the cluster's lock table; empty when the database is this process's alone
     * @param queryTimeout the longest the lock table may take to answer
     */
    public StatusCollector(String version, String instanceId, Clock clock, Instant startedAt,
                           Supplier<List<DaemonStatus.Listener>> listeners, Supplier<DaemonStatus.Database> database,
                           Supplier<DaemonStatus.Cortex> cortex, EngineLoad engine,
                           Optional<LockHolders> lockHolders, Duration queryTimeout) {
        this.version = Objects.requireNonNull(version, "version");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.database = Objects.requireNonNull(database, "database");
        this.cortex = Objects.requireNonNull(cortex, "cortex");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.lockHolders = Objects.requireNonNull(lockHolders, "lockHolders");
        this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
    }

    /** The state held in memory, without the lock table: cheap enough for a timer. */
    public DaemonStatus local() {
        return status(database.get(), Optional.empty());
    }

    @Override
    public CompletableFuture<DaemonStatus> gather() {
        return CompletableFuture.supplyAsync(this::gathered, VIRTUAL);
    }

    private DaemonStatus gathered() {
        DaemonStatus.Database known = database.get();
        if (lockHolders.isEmpty()) {
            return status(known, Optional.empty());
        }
        try {
            List<DaemonStatus.Instance> instances = CompletableFuture.supplyAsync(lockHolders.get()::holders, VIRTUAL)
                    .get(queryTimeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .sorted(Comparator.comparing(DaemonStatus.Instance::id)).toList();
            return status(known, Optional.of(new DaemonStatus.Cluster(instances, Optional.empty())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreadable(known, "interrupted while reading the lock table");
        } catch (TimeoutException e) {
            return unreadable(known, "the lock table did not answer within " + queryTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return unreadable(known, "reading the lock table failed: "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        }
    }

    private DaemonStatus unreadable(DaemonStatus.Database known, String why) {
        return status(known.unavailable(clock.instant(), why),
                Optional.of(new DaemonStatus.Cluster(List.of(), Optional.of(why))));
    }

    private DaemonStatus status(DaemonStatus.Database db, Optional<DaemonStatus.Cluster> cluster) {
        DaemonStatus.Engine load = new DaemonStatus.Engine(engine.waitingForPermits(), engine.waitingForOtherInstances(),
                engine.samplesInFlight(), engine.oldestInFlight());
        return new DaemonStatus(version, instanceId, clock.instant(), startedAt, listeners.get(), db, cortex.get(), load,
                cluster);
    }
}
