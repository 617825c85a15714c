package org.peekaboo.clamd;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.peekaboo.listener.ReceivedDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the file behind a descriptor passed with FILDES into the spool, where the engine judges
 * it like an INSTREAM. The descriptor is the client's open file, often already unlinked, so it is
 * read through the descriptor itself, from its start (clamd scans the whole file whatever the
 * offset) with positional reads that leave the client's offset alone. Blocks: runs off the event
 * loop. The descriptor is closed when the copy is over, whatever happened.
 */
final class DescriptorCopy {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorCopy.class);

    /** What became of the copy. */
    sealed interface Outcome {
        /** The spooled file; whoever takes it deletes it. */
        record Copied(Path file) implements Outcome {
        }

        /** A pipe, socket, directory or device: clamd refuses those too. */
        record NotRegular() implements Outcome {
        }

        /** More than the stream limit; nothing is kept. */
        record TooLarge() implements Outcome {
        }

        record Failed(String reason) implements Outcome {
        }
    }

    private DescriptorCopy() {
    }

    static Outcome copy(ReceivedDescriptor descriptor, StreamSpool spool, long maxLength) {
        try {
            if (!Files.readAttributes(descriptor.procPath(), BasicFileAttributes.class).isRegularFile()) {
                return new Outcome.NotRegular();
            }
            FileChannel source = descriptor.channel();
            if (source.size() > maxLength) {
                return new Outcome.TooLarge();
            }
            return copy(source, spool, maxLength);
        } catch (IOException e) {
            LOG.info("Cannot read the file passed as {}: {}", descriptor, e.toString());
            return new Outcome.Failed("cannot read the passed file");
        } finally {
            descriptor.release();
        }
    }

    private static Outcome copy(FileChannel source, StreamSpool spool, long maxLength) throws IOException {
        Path file = spool.newFile();
        boolean keep = false;
        try (FileChannel target = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // Up to one byte beyond the limit, which tells a file that grew while being copied.
            long position = 0;
            while (position <= maxLength) {
                long copied = source.transferTo(position, maxLength + 1 - position, target);
                if (copied <= 0) {
                    break;
                }
                position += copied;
            }
            if (position > maxLength) {
                return new Outcome.TooLarge();
            }
            keep = true;
            return new Outcome.Copied(file);
        } finally {
            if (!keep) {
                spool.delete(file);
            }
        }
    }
}
