package org.peekaboo.expansion;

import jakarta.mail.internet.SharedInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A message in a file, read in place by Jakarta Mail: every part is a range of one channel, so a
 * large message is not held in memory. Unlike {@code SharedFileInputStream}, whose file stays open
 * until every part's stream is closed or collected (Jakarta Mail closes none of them), the file is
 * closed when the reader closes the channel; the streams fail after that.
 */
final class MessageFileInput extends BufferedInputStream implements SharedInputStream {
    private final FileChannel channel;
    private final long start;
    private final Range range;

    MessageFileInput(FileChannel channel, long start, long end) {
        this(channel, start, new Range(channel, start, end));
    }

    private MessageFileInput(FileChannel channel, long start, Range range) {
        super(range, 16 * 1024);
        this.channel = channel;
        this.start = start;
        this.range = range;
    }

    @Override
    public synchronized long getPosition() {
        return range.position - start - (count - pos);
    }

    @Override
    public InputStream newStream(long from, long to) {
        long end = to < 0 ? range.end : Math.min(range.end, start + to);
        return new MessageFileInput(channel, start + from, end);
    }

    /** Bytes {@code [position, end)} of the channel, read with positional reads that share no state. */
    private static final class Range extends InputStream {
        private final FileChannel channel;
        private final long end;
        private long position;

        Range(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            long left = end - position;
            if (left <= 0) {
                return -1;
            }
            int read = channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, left)), position);
            if (read < 0) {
                return -1;
            }
            position += read;
            return read;
        }
    }
}
