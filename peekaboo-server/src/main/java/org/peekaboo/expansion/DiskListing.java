package org.peekaboo.expansion;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one disk image while its file systems are walked, within fixed limits: a crafted image
 * can declare millions of entries, directories nested without end, or a directory that contains
 * itself. Not thread-safe; one per listing.
 */
final class DiskListing {
    /** Files and directories together; far beyond the few files a dropper image carries. */
    static final int MAX_ENTRIES = 10_000;
    /** Directories nested deeper than this are not entered. */
    static final int MAX_DEPTH = 32;
    /** The largest allocation table (FAT) read into memory: a 16 GB FAT32 volume of 4 KiB clusters. */
    static final int MAX_TABLE_BYTES = 16 * 1024 * 1024;
    /** The largest directory read into memory; far beyond MAX_ENTRIES entries. */
    static final int MAX_DIRECTORY_BYTES = 1024 * 1024;
    /**
     * All directories of one listing together: a directory is held while its subdirectories are read,
     * and crafted directories can overlap, so the per-directory limit alone would not bound the heap.
     */
    static final int MAX_DIRECTORIES_BYTES = 16 * 1024 * 1024;

    /**
     * Runs of clusters (fragments) of all files together: a crafted allocation table can chop one file
     * into millions of fragments, each held in memory until the file is read.
     */
    static final int MAX_RUNS = 256 * 1024;

    private final List<DiskFile> files = new ArrayList<>();
    private int runs;
    private int entries;
    private long directoryBytes;

    /** Counts one more entry (file or directory); stops the listing beyond {@link #MAX_ENTRIES}. */
    void count() throws IOException {
        if (++entries > MAX_ENTRIES) {
            throw new IOException("it has more than " + MAX_ENTRIES + " files and directories");
        }
    }

    /** Counts a directory of {@code length} bytes before it is read. */
    void directory(long length, String path) throws IOException {
        if (length > MAX_DIRECTORY_BYTES) {
            throw new IOException("its directory \"" + path + "\" claims " + length + " bytes");
        }
        directoryBytes += length;
        if (directoryBytes > MAX_DIRECTORIES_BYTES) {
            throw new IOException("its directories hold more than " + MAX_DIRECTORIES_BYTES + " bytes");
        }
    }

    /** Counts one more fragment of a file. */
    void run() throws IOException {
        if (++runs > MAX_RUNS) {
            throw new IOException("its files lie in more than " + MAX_RUNS + " fragments");
        }
    }

    void add(DiskFile file) {
        files.add(file);
    }

    static void checkDepth(int depth, String path) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("its directories are nested more than " + MAX_DEPTH + " deep at \"" + path + "\"");
        }
    }

    List<DiskFile> files() {
        return List.copyOf(files);
    }

    static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    /** A name as people read it: without control characters or path separators that would forge a path. */
    static String clean(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == '/' || c == '\\' ? '_' : c));
        return out.toString();
    }
}
