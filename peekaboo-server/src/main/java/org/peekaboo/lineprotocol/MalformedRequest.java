package org.peekaboo.lineprotocol;

import java.util.Objects;

/**
 * A request line that cannot be served.
 *
 * @param reason what is wrong, phrased for the client (sent after {@code ERROR: })
 */
record MalformedRequest(String reason) implements ClientRequest {
    MalformedRequest {
        Objects.requireNonNull(reason, "reason");
    }
}
