package org.peekaboo.analysis;

import java.time.Duration;
import org.peekaboo.verdict.SampleVerdict;

/**
 * What happens to samples, told to whoever watches (the daemon's metrics), so that the engine
 * needs no metrics library of its own. Every method does nothing by default, and {@link #NONE}
 * watches nothing: the engine runs the same unwatched. Called on the engine's threads, often at
 * once: an implementation must be thread-safe and must not block.
 */
public interface AnalysisEvents {
    /** Watches nothing. */
    AnalysisEvents NONE = new AnalysisEvents() {
    };

    /** How a sample's own verdict came about. */
    enum Origin {
        /** The ruleset ran (or the engine refused it a worker: overload). */
        JUDGED,
        /** Earlier results decided (the {@code known} rule), without running the rest. */
        KNOWN,
        /** An identical sample being judged in this process gave its verdict. */
        DUPLICATE,
        /** Its content could not be read: too large, changed, gone. */
        UNREAD,
        /** Its lock could not be taken, or the engine stopped before it was judged. */
        NOT_JUDGED
    }

    /** The steps of a sample's way whose time is watched. */
    enum Stage {
        /** Waiting for a read slot, reading and hashing the file. */
        READ,
        /** Detecting a file type by content. */
        TYPE,
        /** Running the ruleset, including type detection and waits for Cortex that rules cause. */
        RULES,
        /** Recording the result in the database. */
        STORE,
        /** A Cortex analysis from submission to report. */
        CORTEX
    }

    /** What the database was asked when it failed. */
    enum DatabaseOperation {
        STORE, LOCK
    }

    /** A sample's own verdict (for a container, before its members are judged). */
    default void sampleDecided(SampleVerdict verdict, Origin origin) {
    }

    default void stageTook(Stage stage, Duration took) {
    }

    default void databaseFailed(DatabaseOperation operation) {
    }

    /** A Cortex analysis ended, with a report or failed (error, timeout, abandoned). */
    default void cortexAnswered(Duration took, boolean failed) {
    }

    /** A sample waited for another instance's lock on it, for {@code took}. */
    default void lockWaited(Duration took) {
    }

    /**
     * A sample whose lock another instance held is analysed here after all: that instance
     * released it without a result or its lease ran out.
     */
    default void lockTakenOver() {
    }
}
