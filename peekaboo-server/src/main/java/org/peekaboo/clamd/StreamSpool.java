package org.peekaboo.clamd;

import java.io.IOException;
import java.nio.file.Path;
import org.peekaboo.listener.SpoolDirectory;

/** Where INSTREAM data waits for the engine: one file per stream in a {@link SpoolDirectory}. */
public final class StreamSpool implements AutoCloseable {
    private final SpoolDirectory spool;

    private StreamSpool(SpoolDirectory spool) {
        this.spool = spool;
    }

    /** A fresh private directory in the system's temporary directory. */
    public static StreamSpool create() {
        return new StreamSpool(SpoolDirectory.create("peekaboo-clamd-"));
    }

    /** Uses an existing directory, e.g. a test's. */
    public static StreamSpool in(Path directory) {
        return new StreamSpool(SpoolDirectory.in(directory));
    }

    public Path directory() {
        return spool.directory();
    }

    Path newFile() throws IOException {
        return spool.newFile("stream");
    }

    void delete(Path file) {
        spool.delete(file);
    }

    /** Removes the directory with whatever is left in it. */
    @Override
    public void close() {
        spool.close();
    }
}
