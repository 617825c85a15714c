package org.peekaboo.sample;

import java.io.IOException;

/**
 * The file opened is not the file the path check saw, or it changed while it was read: whatever
 * was read is not a sample. The message is the precise reason, for the log; clients are told only
 * that the file changed while being read.
 */
public final class SampleChangedException extends IOException {
    public SampleChangedException(String reason) {
        super(reason);
    }

    public SampleChangedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
