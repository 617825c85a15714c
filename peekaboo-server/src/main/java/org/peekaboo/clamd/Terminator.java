package org.peekaboo.clamd;

/** How a command was framed, which decides how its replies end. */
enum Terminator {
    /** {@code z} prefix: the command and every reply line end with NUL. */
    NUL((byte) 0),
    /** {@code n} prefix: the command and every reply line end with a newline. */
    NEWLINE((byte) '\n'),
    /** No prefix, only as the first command of a connection: one packet is one command; replies end with a newline. */
    LEGACY((byte) '\n');

    private final byte replyEnd;

    Terminator(byte replyEnd) {
        this.replyEnd = replyEnd;
    }

    byte replyEnd() {
        return replyEnd;
    }
}
