package org.peekaboo.expansion;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.ContentWriter;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleSpool;

/**
 * The limits of one top-level sample's unpacking, shared by every container in it (members of
 * members count against the same totals), so that no archive, however built, makes Peekaboo read
 * more than {@code max_unpacked_size} bytes, make more than {@code max_members} samples or spend more
 * than {@code max_time}. Readers copy every member through {@link #copy}, which enforces them while
 * the bytes flow: a declared size is never trusted. Thread-safe.
 */
public final class ExpansionBudget {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ExpansionSettings settings;
    private final SampleSpool spool;
    private final LongSupplier nanoTime;
    private final long deadlineNanos;
    private final AtomicInteger members = new AtomicInteger();
    private final AtomicLong unpacked = new AtomicLong();

    public ExpansionBudget(ExpansionSettings settings, SampleSpool spool, LongSupplier nanoTime) {
        this.settings = settings;
        this.spool = spool;
        this.nanoTime = nanoTime;
        this.deadlineNanos = nanoTime.getAsLong() + settings.maxTime().toNanos();
    }

    public ExpansionSettings settings() {
        return settings;
    }

    /** Members counted so far. */
    public int members() {
        return members.get();
    }

    /** Bytes unpacked so far. */
    public long unpacked() {
        return unpacked.get();
    }

    /** Counts one more member, named {@code path} (for the message), before it is read. */
    public void countMember(String path) throws LimitReachedException {
        if (members.incrementAndGet() > settings.maxMembers()) {
            throw new LimitReachedException(new Finding(Finding.Kind.MEMBERS, "more than "
                    + settings.maxMembers() + " members (max_members); stopped before " + quoted(path)));
        }
    }

    /** Throws when the time is up or the thread is interrupted (Peekaboo stops). */
    public void checkTime() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("Peekaboo is stopping");
        }
        if (nanoTime.getAsLong() - deadlineNanos > 0) {
            throw new LimitReachedException(new Finding(Finding.Kind.TIME, "unpacking took longer than "
                    + settings.maxTime().toSeconds() + " s (max_time)"));
        }
    }

    /**
     * Reads {@code in} to its end into a new content, counting every byte.
     *
     * @param path       the member's name, for messages
     * @param packedSize the member's compressed size, or the container's size when the format does not
     *                   say (a solid 7z, a gzip stream); 0 or less when the member is stored, not compressed
     * @throws LimitReachedException when a limit is reached; nothing is kept of the member
     * @throws IOException           when the stream fails (a corrupt archive); nothing is kept of the member
     */
    public SampleContent copy(InputStream in, String path, long packedSize) throws IOException {
        ContentWriter writer = ContentWriter.into(spool);
        try (writer) {
            byte[] buffer = new byte[BUFFER_SIZE];
            int read;
            while ((read = in.read(buffer)) != -1) {
                checkTime();
                long total = unpacked.addAndGet(read);
                if (total > settings.maxUnpackedSize()) {
                    throw new LimitReachedException(new Finding(Finding.Kind.SIZE, "more than "
                            + settings.maxUnpackedSize() + " bytes unpacked (max_unpacked_size), at " + quoted(path)));
                }
                long size = writer.size() + read;
                if (packedSize > 0 && size > settings.ratioThreshold() && size / packedSize >= settings.maxRatio()) {
                    throw new LimitReachedException(new Finding(Finding.Kind.RATIO, quoted(path) + " unpacks to more "
                            + "than " + settings.maxRatio() + " times its packed size of " + packedSize
                            + " bytes (max_ratio): a decompression bomb"));
                }
                writer.write(buffer, 0, read);
            }
            return writer.finish();
        }
    }

    private static String quoted(String path) {
        return path == null ? "a member without a name" : '"' + path + '"';
    }
}
