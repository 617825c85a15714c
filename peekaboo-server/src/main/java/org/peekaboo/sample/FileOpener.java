package org.peekaboo.sample;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a sample file so that what is opened can be checked before a byte is read: without
 * following a symbolic link swapped in for the file and without blocking on a FIFO or device
 * swapped in (Java's own open does either). The only native part of Peekaboo; the daemon hands
 * the core {@code org.peekaboo.posix.LibcFiles}.
 */
@FunctionalInterface
public interface FileOpener {

    /**
     * Opens {@code file} read-only, refusing a symbolic link as its last component and never
     * waiting for a writer or a device.
     *
     * @throws IOException naming the system's reason (ELOOP for a link, ENOENT, EACCES …)
     */
    OpenFile open(Path file) throws IOException;

    /** An open descriptor of this process. */
    interface OpenFile extends AutoCloseable {

        /** The descriptor's number. */
        int descriptor();

        /**
         * {@code /proc/self/fd/<n>}: reading its attributes, reading its link or opening it reaches
         * the open file itself, whatever its name is by now.
         */
        default Path procPath() {
            return Path.of("/proc/self/fd", Integer.toString(descriptor()));
        }

        @Override
        void close();
    }
}
