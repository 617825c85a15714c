package org.peekaboo.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a running daemon tells an operator about itself at one moment: {@code peekaboo status}
 * and systemd's state line show it.
 *
 * @param at        when it was gathered, by the daemon's clock
 * @param startedAt when the daemon started serving; the uptime is the difference
 * @param cluster   the instances holding rows of the lock table; empty when the database is
 *                  open to this process only (no other instance can share it)
 */
public record DaemonStatus(String version, String instanceId, Instant at, Instant startedAt,
                           List<Listener> listeners, Database database, Cortex cortex, Engine engine,
                           Optional<Cluster> cluster) {
    public DaemonStatus {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(startedAt, "startedAt");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(cortex, "cortex");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(cluster, "cluster");
    }

    /** Serving fully, or serving with samples answered {@code unchecked} for a missing service. */
    public enum Health { OK, DEGRADED }

    public Duration uptime() {
        return Duration.between(startedAt, at);
    }

    /** Degraded when the database is unavailable or Cortex is failing: some samples cannot be judged. */
    public Health health() {
        return database.available() && !cortex.failing() ? Health.OK : Health.DEGRADED;
    }

    /**
     * One front end's listener.
     *
     * @param frontEnd {@code line}, {@code clamd} or {@code http}
     * @param address  as the start-up log names it, e.g. {@code tcp:127.0.0.1:3310}
     * @param profile  the clamd client served there; empty for the other front ends
     */
    public record Listener(String frontEnd, String address, Optional<String> profile) {
        public Listener {
            Objects.requireNonNull(frontEnd, "frontEnd");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(profile, "profile");
        }
    }

    /**
     * @param kind             {@code H2} or {@code MariaDB}
     * @param url              without passwords
     * @param unavailableSince the start of the current outage; empty while the database answers
     * @param diagnosis        why it is unavailable, when known
     */
    public record Database(String kind, String url, Optional<Instant> unavailableSince, Optional<String> diagnosis) {
        public Database {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(unavailableSince, "unavailableSince");
            Objects.requireNonNull(diagnosis, "diagnosis");
        }

        public boolean available() {
            return unavailableSince.isEmpty();
        }

        /** The same database, found unavailable now (if it was not already) for {@code why}. */
        public Database unavailable(Instant now, String why) {
            return new Database(kind, url, Optional.of(unavailableSince.orElse(now)),
                    Optional.of(diagnosis.orElse(why)));
        }
    }

    /**
     * @param url          empty when no analyzers are configured
     * @param failingSince the start of the current outage; empty while Cortex answers
     * @param lastError    why it fails
     */
    public record Cortex(Optional<String> url, Optional<Instant> failingSince, Optional<String> lastError) {
        public static final Cortex NOT_CONFIGURED = new Cortex(Optional.empty(), Optional.empty(), Optional.empty());

        public Cortex {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(failingSince, "failingSince");
            Objects.requireNonNull(lastError, "lastError");
        }

        public boolean configured() {
            return url.isPresent();
        }

        public boolean failing() {
            return failingSince.isPresent();
        }
    }

    /**
     * @param queued          samples waiting for a worker
     * @param waitingForOthers samples waiting for another instance's lock
     * @param inFlight        samples being judged in this process
     * @param oldestInFlight  age of the oldest of them; zero when there is none
     */
    public record Engine(int queued, int waitingForOthers, int inFlight, Duration oldestInFlight) {
        public Engine {
            Objects.requireNonNull(oldestInFlight, "oldestInFlight");
        }
    }

    /**
     * The instances seen in the lock table, or why they could not be read.
     *
     * @param instances by id; an instance that holds no lock right now is not seen
     * @param error     why the table could not be read; then {@code instances} is empty
     */
    public record Cluster(List<Instance> instances, Optional<String> error) {
        public Cluster {
            instances = List.copyOf(instances);
            Objects.requireNonNull(error, "error");
        }
    }

    /** One instance in the lock table: how many samples it holds and when it took the newest. */
    public record Instance(String id, long locks, Instant newestLock) {
        public Instance {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(newestLock, "newestLock");
        }
    }
}
