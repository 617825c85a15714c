package org.peekaboo.expansion;

import jakarta.mail.internet.SharedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A message in a file, read in place by Jakarta Mail: every part is a range of one channel, so a
 * large message is not held in memory. Unlike {@code SharedFileInputStream}, whose file stays open
 * until every part's stream is closed or collected (Jakarta Mail closes none of them), the file is
 * closed when the reader closes the channel; the streams fail after that. Each range buffers at most
 * its own length, allocated on first read: Jakarta Mail makes two streams per part, and a message of
 * 100,000 tiny parts must not allocate 100,000 full buffers.
 */
final class MessageFileInput extends InputStream implements SharedInputStream {
    private static final int BUFFER_SIZE = 8192;

    private final FileChannel channel;
    private final long start;
    private final long end;
    /** Absolute position of the next byte to read. */
    private long position;
    private long mark;
    private byte[] buffer;
    /** Absolute position of {@code buffer[0]}, and how many bytes of it are valid. */
    private long bufferStart;
    private int buffered;

    MessageFileInput(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.start = start;
        this.end = Math.max(start, end);
        this.position = start;
        this.mark = start;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[(int) (position++ - bufferStart)] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int taken = (int) Math.min(length, bufferStart + buffered - position);
        System.arraycopy(buffer, (int) (position - bufferStart), bytes, offset, taken);
        position += taken;
        return taken;
    }

    /** Makes the byte at {@link #position} buffered; false at the end. */
    private boolean fill() throws IOException {
        if (position >= end) {
            return false;
        }
        if (buffer != null && position >= bufferStart && position < bufferStart + buffered) {
            return true;
        }
        if (buffer == null) {
            buffer = new byte[(int) Math.min(BUFFER_SIZE, end - start)];
        }
        int read = channel.read(ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, end - position)), position);
        if (read <= 0) {
            return false;
        }
        bufferStart = position;
        buffered = read;
        return true;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readLimit) {
        mark = position;
    }

    @Override
    public void reset() {
        position = mark;
    }

    @Override
    public long getPosition() {
        return position - start;
    }

    @Override
    public InputStream newStream(long from, long to) {
        return new MessageFileInput(channel, start + from, to < 0 ? end : Math.min(end, start + to));
    }
}
