package org.peekaboo.listener;

/**
 * User event sent to connections still open when the daemon's shutdown grace period ends:
 * each front end tells its client to retry instead of cutting it off without a verdict.
 */
public enum ShutdownNotice {
    INSTANCE
}
