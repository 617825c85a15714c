package org.peekaboo.listener;

/** A listener could not be bound; the message says which one and why. */
public final class ListenerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ListenerException(String message) {
        super(message);
    }

    public ListenerException(String message, Throwable cause) {
        super(message, cause);
    }
}
