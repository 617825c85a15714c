package org.peekaboo.clamd;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import org.peekaboo.listener.ReceivedDescriptor;

/**
 * What the framer makes of a connection's bytes besides the raw INSTREAM data, which it passes on
 * as {@link io.netty.buffer.ByteBuf}s.
 */
sealed interface ClamdInput {
    /**
     * One command without its prefix and terminator.
     *
     * @param descriptor for {@code FILDES}, the descriptor that came with it, or null if none did;
     *                   whoever takes the command releases it
     */
    record Command(String text, Terminator terminator, ReceivedDescriptor descriptor) implements ClamdInput {
        static final String FILDES = "FILDES";

        Command(String text, Terminator terminator) {
            this(text, terminator, null);
        }

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

    /** A descriptor came with a read that held no FILDES for it; it is closed, nothing more is read. */
    record DescriptorWithoutFildes() implements ClamdInput {
    }

    /** A command grew beyond the longest clamd accepts without its terminator; nothing more is read. */
    record CommandTooLong() implements ClamdInput {
    }
}
