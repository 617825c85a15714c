package org.peekaboo.cortex;

import java.util.OptionalInt;

/**
 * Cortex could not deliver a report. The message is the whole diagnosis (which request, what
 * Cortex or the network answered, how often it was tried), so that it can be logged as it is.
 */
public final class CortexException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean unavailable;

    public CortexException(String message) {
        this(message, 0);
    }

    /** A failure because Cortex answered with an HTTP error status. */
    public CortexException(String message, int status) {
        this(message, status, false);
    }

    /**
     * @param unavailable not tried because Cortex is known to be unreachable; the outage is
     *                    logged once, so such failures need not be logged one by one
     */
    public CortexException(String message, int status, boolean unavailable) {
        super(message, null, false, false);
        this.status = status;
        this.unavailable = unavailable;
    }

    /** Whether the request was not even tried because Cortex is known to be unreachable. */
    public boolean unavailable() {
        return unavailable;
    }

    /** The HTTP status Cortex answered with, if that was the failure. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
