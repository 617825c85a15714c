package org.peekaboo.cli;

/** A command could not do its job; the message says why, for the person at the terminal. */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CommandFailedException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    CommandFailedException(String message) {
        this(message, Main.EXIT_ERROR);
    }

    int exitCode() {
        return exitCode;
    }
}
