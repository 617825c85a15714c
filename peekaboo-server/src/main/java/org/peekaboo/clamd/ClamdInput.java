package org.peekaboo.clamd;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * What the framer makes of a connection's bytes besides the raw INSTREAM data, which it passes on
 * as {@link io.netty.buffer.ByteBuf}s.
 */
sealed interface ClamdInput {
    /** One command without its prefix and terminator. */
    record Command(String text, Terminator terminator) implements ClamdInput {
        /** Whether INSTREAM data follows: clamd takes INSTREAM only with a z or n prefix. */
        boolean opensStream() {
            return terminator != Terminator.LEGACY && text.equals("INSTREAM");
        }
    }

    /** The zero-length chunk that ends an INSTREAM. */
    record StreamEnd() implements ClamdInput {
    }

    /**
     * An INSTREAM's data is all received ({@link ClamdUploadHandler} turns {@link StreamEnd} into
     * this): {@code file} completes with the spooled file once its last write is done, or with
     * the write's failure (the file deleted then). Whoever takes it deletes the file.
     */
    record StreamReceived(CompletionStage<Path> file) implements ClamdInput {
    }

    /** A chunk was announced that would take the stream beyond the limit; nothing more is read. */
    record StreamTooLong() implements ClamdInput {
    }

    /** A command grew beyond the longest clamd accepts without its terminator; nothing more is read. */
    record CommandTooLong() implements ClamdInput {
    }
}
