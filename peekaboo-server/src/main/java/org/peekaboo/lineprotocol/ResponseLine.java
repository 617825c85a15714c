package org.peekaboo.lineprotocol;

import io.netty.buffer.ByteBufUtil;
import java.util.Objects;

/**
 * One line the server sends, without its terminator. Building one with a line break in it
 * fails, so no value put into a line can ever split it and forge a line of its own.
 */
record ResponseLine(String text) {
    static final ResponseLine EMPTY = new ResponseLine("");

    ResponseLine {
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a response line must not contain a line break: " + text);
        }
    }

    /** Bytes this line takes on the wire: its UTF-8 and the newline {@link ResponseLineEncoder} adds. */
    int wireLength() {
        return ByteBufUtil.utf8Bytes(text) + 1;
    }
}
