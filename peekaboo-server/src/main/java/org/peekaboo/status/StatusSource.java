package org.peekaboo.status;

import java.util.concurrent.CompletableFuture;

/** The daemon's status, gathered off the caller's thread (the lock table is read from the database). */
@FunctionalInterface
public interface StatusSource {
    /** Completes with the status; never blocks the caller. */
    CompletableFuture<DaemonStatus> gather();
}
