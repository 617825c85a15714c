package org.peekaboo.sample;

import java.io.IOException;

/** Where the engine gets a sample's content from; {@link SampleReader} reads files. */
@FunctionalInterface
public interface SampleSource {

    /**
     * The content of the file the path check saw, read once; the caller closes it when every
     * sample using it is judged.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the read must be done
     * @throws SampleChangedException   when the file opened is not the one checked, or changed
     * @throws SampleTooLargeException  when the file is larger than allowed
     * @throws IOException              when the file cannot be read to the end in time
     */
    SampleContent read(CheckedFile file, long deadlineNanos) throws IOException;
}
