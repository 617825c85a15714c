package org.peekaboo.expansion;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.List;

/**
 * Random access to the bytes of a disk image, a partition or a file in one: disk images are read by
 * position (a directory here, a cluster there), never as a stream. Every read names its range and
 * fails on a range beyond the end, so a damaged image cannot make a reader run off into nothing.
 */
interface DiskSource {

    /** Bytes available. */
    long size();

    /** Reads {@code length} bytes at {@code position} into {@code buffer}; EOFException past the end. */
    void read(long position, byte[] buffer, int offset, int length) throws IOException;

    default byte[] read(long position, int length) throws IOException {
        byte[] bytes = new byte[length];
        read(position, bytes, 0, length);
        return bytes;
    }

    /** Whether {@code length} bytes at {@code position} lie within the source. */
    default boolean holds(long position, long length) {
        return position >= 0 && length >= 0 && position <= size() && length <= size() - position;
    }

    default void check(long position, long length) throws EOFException {
        if (!holds(position, length)) {
            throw new EOFException("the image is truncated: " + length + " bytes at offset " + position
                    + " lie beyond its end at " + size());
        }
    }

    /** The bytes from {@code position}, {@code length} long. */
    default DiskSource slice(long position, long length) throws EOFException {
        check(position, length);
        DiskSource outer = this;
        return new DiskSource() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public void read(long at, byte[] buffer, int offset, int count) throws IOException {
                check(at, count);
                outer.read(position + at, buffer, offset, count);
            }
        };
    }

    /** The source read from its start, as a stream. */
    default InputStream stream() {
        DiskSource source = this;
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                long left = source.size() - position;
                if (left <= 0) {
                    return -1;
                }
                int count = (int) Math.min(length, left);
                source.read(position, buffer, offset, count);
                position += count;
                return count;
            }
        };
    }

    /** A file's bytes spread over runs of a volume; a run with a negative start reads as zeros (sparse). */
    record Run(long start, long length) {
    }

    static DiskSource ofRuns(DiskSource volume, List<Run> runs, long size) throws EOFException {
        long total = 0;
        for (Run run : runs) {
            if (run.start() >= 0) {
                volume.check(run.start(), run.length());
            }
            total += run.length();
        }
        if (total < size) {
            throw new EOFException("a file of " + size + " bytes has only " + total + " bytes allocated");
        }
        List<Run> copy = List.copyOf(runs);
        return new DiskSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void read(long position, byte[] buffer, int offset, int length) throws IOException {
                check(position, length);
                long skipped = 0;
                for (Run run : copy) {
                    if (length == 0) {
                        return;
                    }
                    if (position < skipped + run.length()) {
                        long within = position - skipped;
                        int count = (int) Math.min(length, run.length() - within);
                        if (run.start() < 0) {
                            Arrays.fill(buffer, offset, offset + count, (byte) 0);
                        } else {
                            volume.read(run.start() + within, buffer, offset, count);
                        }
                        position += count;
                        offset += count;
                        length -= count;
                    }
                    skipped += run.length();
                }
            }
        };
    }

    static DiskSource of(byte[] bytes) {
        return new DiskSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void read(long position, byte[] buffer, int offset, int length) throws IOException {
                check(position, length);
                System.arraycopy(bytes, (int) position, buffer, offset, length);
            }
        };
    }

    static DiskSource of(FileChannel channel) throws IOException {
        long size = channel.size();
        return new DiskSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void read(long position, byte[] buffer, int offset, int length) throws IOException {
                check(position, length);
                ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
                while (target.hasRemaining()) {
                    if (channel.read(target, position + target.position() - offset) < 0) {
                        throw new EOFException("the image ended while it was read");
                    }
                }
            }
        };
    }
}
