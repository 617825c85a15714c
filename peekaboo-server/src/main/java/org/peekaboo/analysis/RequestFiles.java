package org.peekaboo.analysis;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.FileKey;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one request, each read once however often the request names it (one 2 GB file
 * named 30 times must not be read 30 times): the first of its samples reads it, the others wait for
 * that content. A content is closed (its spooled copy deleted) when the last sample using it is done.
 */
final class RequestFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RequestFiles.class);

    private final SampleSource source;
    private final Semaphore reads;
    private final long deadlineNanos;
    /** Built before any thread starts and never changed in shape; each entry guards itself. */
    private final Map<FileKey, Entry> entries = new HashMap<>();

    RequestFiles(List<CheckedFile> files, SampleSource source, Semaphore reads, long deadlineNanos) {
        this.source = source;
        this.reads = reads;
        this.deadlineNanos = deadlineNanos;
        for (CheckedFile file : files) {
            entries.computeIfAbsent(file.key(), key -> new Entry()).users++;
        }
    }

    /**
     * One more user of {@code file} besides the samples that name it (the words of a text file, wanted
     * by the request's encrypted archives), released with {@link #release}. Only before any thread reads.
     */
    void retain(CheckedFile file) {
        Entry entry = entries.get(file.key());
        synchronized (entry) {
            entry.users++;
        }
    }

    /** How many distinct files the request names. */
    int distinct() {
        return entries.size();
    }

    /**
     * The content of {@code file}: read by the first caller, awaited by the others.
     *
     * @throws IOException the reader's failure, the same for every caller
     */
    SampleContent content(CheckedFile file) throws IOException, InterruptedException {
        Entry entry = entries.get(file.key());
        CompletableFuture<SampleContent> content;
        boolean first;
        synchronized (entry) {
            first = entry.content == null;
            if (first) {
                entry.content = new CompletableFuture<>();
            }
            content = entry.content;
        }
        if (first) {
            try {
                content.complete(readLimited(file));
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                content.completeExceptionally(e);
            }
        }
        try {
            return content.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException) {
                throw new InterruptedException("the sample's file was being read when Peekaboo stopped");
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
    }

    private SampleContent readLimited(CheckedFile file) throws IOException, InterruptedException {
        reads.acquire();
        try {
            return source.read(file, deadlineNanos);
        } finally {
            reads.release();
        }
    }

    /** One sample of {@code file} is done with its content; the last one closes it. */
    void release(CheckedFile file) {
        Entry entry = entries.get(file.key());
        CompletableFuture<SampleContent> content;
        synchronized (entry) {
            if (--entry.users > 0 || entry.content == null) {
                return;
            }
            content = entry.content;
        }
        if (content.isDone() && !content.isCompletedExceptionally()) {
            try {
                content.join().close();
            } catch (IOException e) {
                LOG.warn("Could not delete the snapshot of {}: {}", content.join(), e.toString());
            }
        }
    }

    private static final class Entry {
        private int users;
        private CompletableFuture<SampleContent> content;
    }
}
