package org.peekaboo.expansion;

import org.peekaboo.sample.SampleContent;

/**
 * Opens archives (ZIP, 7z, tar, cpio, ar, ARJ) and compressed streams (gzip, bzip2, xz, LZMA, .Z,
 * LZ4, Snappy) with Apache Commons Compress, and encrypted ZIP entries with zip4j. RAR is not
 * opened: no open-source Java reader exists ({@link ContainerFormat} never names it). Never throws
 * for what is in the content: whatever stops the reading becomes a {@link Finding} beside the
 * members read before it.
 */
final class ArchiveReader implements ContainerReader {
    /**
     * Memory a decoder may take (LZMA dictionaries, .Z tables). A crafted header can ask for 1.5 GiB
     * to exhaust the heap. Archives made with the default settings of 7-Zip (16 MiB) and xz (8 MiB) fit;
     * those of their strongest settings (64 MiB dictionaries, 65 MiB to decode) do not and are reported
     * unreadable: the launcher's 80 MB heap could not hold them beside anything else.
     */
    static final int MEMORY_LIMIT_KIB = 64 * 1024;

    private final ZipReader zip;
    private final SevenZReader sevenZ;
    private final ArchiveStreamReader streams;
    private final CompressedStreamReader compressed;

    /** The settings reach the readers through each {@link ExpansionBudget}. */
    ArchiveReader() {
        this.zip = new ZipReader();
        this.sevenZ = new SevenZReader();
        this.streams = new ArchiveStreamReader();
        this.compressed = new CompressedStreamReader();
    }

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        ArchiveMembers members = new ArchiveMembers(format);
        try {
            switch (format) {
                case ZIP -> zip.read(content, passwords, budget, members);
                case SEVEN_Z -> sevenZ.read(content, passwords, budget, members);
                case TAR, CPIO, AR, ARJ -> streams.read(content, format, budget, members);
                case GZIP, BZIP2, XZ, LZMA, COMPRESS_Z, LZ4, SNAPPY -> compressed.read(content, format, name, budget, members);
                case MESSAGE, DISK_IMAGE -> members.add(new Finding(Finding.Kind.UNREADABLE, "a message is not an archive"));
            }
            return members.expansion();
        } catch (Exception | StackOverflowError | LinkageError e) {
            // Malicious nesting (deep pax headers, recursive 7z coders) can overflow the stack, and a method whose
            // optional library is absent ends in a LinkageError: neither may end the judgement.
            return members.stoppedBy(e);
        }
    }
}
