package org.peekaboo.clamd;

import org.peekaboo.listener.ReceivedDescriptor;

/**
 * A command that {@link ClamdSessionHandler} let through to {@link ClamdCommandHandler}, which
 * answers it with a {@link ClamdAnswer} of the same {@code id}.
 *
 * @param id        the connection's sequence number of the request (not the {@code <n>: } of a session)
 * @param name      the command word, e.g. {@code SCAN}
 * @param argument  what follows the first space, or null
 * @param descriptor the descriptor a FILDES came with, or null; the command handler releases it
 */
record ClamdRequest(long id, String name, String argument, Terminator terminator, ReceivedDescriptor descriptor) {
    ClamdRequest(long id, String name, String argument, Terminator terminator) {
        this(id, name, argument, terminator, null);
    }

    /** Whether it came with a z or n prefix; some commands exist only in that form. */
    boolean prefixed() {
        return terminator != Terminator.LEGACY;
    }
}
