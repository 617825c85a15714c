package org.peekaboo.clamd;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one INSTREAM to its spool file off the event loop. Every step (create, each chunk,
 * close) is chained on the one before it, so chunks reach the file in the order received even
 * on an executor that runs tasks in parallel (the daemon's is one virtual thread per task).
 * After a failed step the later ones only release their data; the stream's end then reports
 * the failure and the file is deleted.
 *
 * <p>The fields are touched only by the chain's steps, one after the other; the methods are
 * called on the connection's event loop.
 */
final class SpoolWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolWriter.class);

    private final StreamSpool spool;
    private final Executor blocking;
    private Path file;
    private FileChannel channel;
    private CompletableFuture<Void> tail;
    /** Set on the event loop when the stream is dropped: the writes still queued need not touch the disk. */
    private volatile boolean dropped;

    private SpoolWriter(StreamSpool spool, Executor blocking) {
        this.spool = spool;
        this.blocking = blocking;
    }

    /** Starts creating the stream's file in {@code spool}. */
    static SpoolWriter start(StreamSpool spool, Executor blocking) {
        SpoolWriter writer = new SpoolWriter(spool, blocking);
        writer.tail = CompletableFuture.runAsync(writer::open, blocking);
        return writer;
    }

    /**
     * Appends {@code data} once everything before it is written; takes over the caller's
     * reference, which is released whatever happens.
     *
     * @return completes when this chunk is written or given up
     */
    CompletionStage<Void> write(ByteBuf data) {
        CompletableFuture<Void> step;
        try {
            step = tail.thenRunAsync(() -> append(data), blocking);
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
        tail = step;
        return step.whenComplete((ok, failure) -> data.release());
    }

    /** Closes the file after the last write: its path, or the first failure (the file deleted then). */
    CompletionStage<Path> finish() {
        return tail.handleAsync((ok, failure) -> {
            boolean closed = close();
            if (failure != null || !closed) {
                delete();
                throw failure instanceof CompletionException done ? done
                        : new CompletionException(failure != null ? failure : new IOException("close failed"));
            }
            return file;
        }, blocking);
    }

    /** Drops the stream: closes and deletes the file once the writes already started are over. */
    void abort() {
        dropped = true;
        tail.whenCompleteAsync((ok, failure) -> {
            close();
            delete();
        }, blocking);
    }

    private void open() {
        try {
            file = spool.newFile();
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            LOG.error("Cannot spool a stream: {}", e.toString());
            throw new UncheckedIOException(e);
        }
    }

    private void append(ByteBuf data) {
        if (dropped) {
            return;
        }
        try {
            while (data.isReadable()) {
                data.readBytes(channel, data.readableBytes());
            }
        } catch (IOException e) {
            LOG.error("Cannot write a spooled stream: {}", e.toString());
            throw new UncheckedIOException(e);
        }
    }

    private boolean close() {
        if (channel == null) {
            return true;
        }
        try {
            channel.close();
            return true;
        } catch (IOException e) {
            LOG.error("Cannot close a spooled stream: {}", e.toString());
            return false;
        }
    }

    private void delete() {
        if (file != null) {
            spool.delete(file);
        }
    }
}
