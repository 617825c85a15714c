package org.peekaboo.lineprotocol;

import java.time.Duration;

/**
 * User event: the client has not sent a complete request within {@code timeout} of connecting.
 */
record RequestIdleTimeout(Duration timeout) {
}
