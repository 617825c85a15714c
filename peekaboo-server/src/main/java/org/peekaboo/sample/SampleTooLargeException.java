package org.peekaboo.sample;

import java.io.IOException;

/** The file is larger than {@code [analysis] max_sample_size}: it is not read, and not judged. */
public final class SampleTooLargeException extends IOException {
    private final long size;
    private final long limit;

    public SampleTooLargeException(long size, long limit) {
        super("the file has " + size + " bytes, more than the " + limit + " bytes of [analysis] max_sample_size");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
