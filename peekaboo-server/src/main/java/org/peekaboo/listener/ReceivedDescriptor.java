package org.peekaboo.listener;

import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A file descriptor a client passed over a Unix socket ({@code SCM_RIGHTS}), as a pipeline message.
 * It is reference counted so that Netty's own rules close it wherever it ends: a handler that does
 * not use it releases it, and one that nobody takes is released at the pipeline's tail. The last
 * release closes the descriptor.
 */
public final class ReceivedDescriptor extends AbstractReferenceCounted {
    private final FileInputStream file;
    private final int number;

    private ReceivedDescriptor(FileDescriptor descriptor, int number) {
        this.file = new FileInputStream(descriptor);
        this.number = number;
    }

    /**
     * Takes over {@code descriptor}: it is closed with the last release.
     *
     * @throws IOException when its number cannot be read (it is closed then)
     */
    public static ReceivedDescriptor of(FileDescriptor descriptor) throws IOException {
        int number;
        try {
            number = FileDescriptorCast.using(descriptor).as(Integer.class);
        } catch (IOException | RuntimeException e) {
            new FileInputStream(descriptor).close();
            throw e;
        }
        return new ReceivedDescriptor(descriptor, number);
    }

    /** The descriptor's number in this process, which clamd names in its reply ({@code fd[<n>]}). */
    public int number() {
        return number;
    }

    /**
     * The descriptor's file for positional reads, which leave the client's file offset alone (it
     * shares the open file with the client). Closed with the descriptor, not by the caller.
     */
    public FileChannel channel() {
        return file.getChannel();
    }

    /** What the descriptor refers to, for its attributes: {@code /proc} resolves it even when unlinked. */
    public Path procPath() {
        return Path.of("/proc/self/fd", Integer.toString(number));
    }

    @Override
    protected void deallocate() {
        try {
            file.close();
        } catch (IOException e) {
            // Linux releases the descriptor even when close fails; nothing was written to lose.
        }
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }

    @Override
    public String toString() {
        return "descriptor " + number;
    }
}
