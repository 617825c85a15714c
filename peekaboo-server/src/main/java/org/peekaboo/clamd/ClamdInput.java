package org.peekaboo.clamd;

/**
 * What the framer makes of a connection's bytes besides the raw INSTREAM data, which it passes on
 * as {@link io.netty.buffer.ByteBuf}s.
 */
sealed interface ClamdInput {
    /** One command without its prefix and terminator. */
    record Command(String text, Terminator terminator) implements ClamdInput {
    }

    /** The zero-length chunk that ends an INSTREAM. */
    record StreamEnd() implements ClamdInput {
    }

    /** A chunk was announced that would take the stream beyond the limit; nothing more is read. */
    record StreamTooLong() implements ClamdInput {
    }

    /** A command grew beyond the longest clamd accepts without its terminator; nothing more is read. */
    record CommandTooLong() implements ClamdInput {
    }
}
