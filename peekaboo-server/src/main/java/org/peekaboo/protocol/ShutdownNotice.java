package org.peekaboo.protocol;

/**
 * User event sent to connections still open when the server's shutdown grace period ends:
 * they are told to retry instead of being cut off without a verdict.
 */
enum ShutdownNotice {
    INSTANCE
}
