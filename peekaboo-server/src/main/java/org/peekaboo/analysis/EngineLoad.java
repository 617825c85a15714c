package org.peekaboo.analysis;

import java.time.Duration;

/** The engine's load right now, for metrics and probes. */
public interface EngineLoad {
    /** Samples waiting for a worker permit. */
    int waitingForPermits();

    /** Samples waiting for another instance's lock. */
    int waitingForOtherInstances();

    /** Samples being judged in this process (read, waiting or running rules). */
    int samplesInFlight();

    /** How long the oldest sample in flight has been; zero when there is none. */
    Duration oldestInFlight();
}
