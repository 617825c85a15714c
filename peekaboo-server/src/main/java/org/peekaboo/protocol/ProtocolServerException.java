package org.peekaboo.protocol;

/** The line-protocol server could not start; the message says which listener and why. */
public final class ProtocolServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolServerException(String message) {
        super(message);
    }

    public ProtocolServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
