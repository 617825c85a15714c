package org.peekaboo.expansion;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The containers Peekaboo opens, recognised by the type detected from their content (Tika's names
 * and their aliases). The declared type is only believed for a message, whose headers a content
 * check can miss (a message that starts with a header Tika does not know). Office documents, ODF,
 * JARs and APKs are ZIPs too but are judged whole and never opened: Tika names them by their own
 * types. RAR, CAB and zstd are not opened: there is no open-source Java reader for RAR (junrar
 * carries the UnRAR licence), and the others have none that is kept well enough. OneNote sections
 * and PDF documents count as archives of their embedded files.
 */
public enum ContainerFormat {
    MESSAGE(false),
    ZIP(true),
    SEVEN_Z(true),
    TAR(true),
    CPIO(true),
    AR(true),
    ARJ(true),
    GZIP(false),
    BZIP2(false),
    XZ(false),
    LZMA(false),
    COMPRESS_Z(false),
    LZ4(false),
    SNAPPY(false),
    ONENOTE(true),
    PDF(true),
    /** ISO 9660, FAT, VHD and NTFS images ({@link DiskImage}); by content, as Tika names only ISO 9660. */
    DISK_IMAGE(true);

    private static final Map<String, ContainerFormat> BY_TYPE = Map.ofEntries(
            Map.entry("message/rfc822", MESSAGE),
            Map.entry("message/global", MESSAGE),
            // Exim hands its clamd scanner the message with an mbox "From " line and envelope headers
            // in front, which Tika names an mbox; the message reader skips that line. The later
            // messages of an mbox of several are nested messages (MboxSeparators).
            Map.entry("application/mbox", MESSAGE),
            Map.entry("application/zip", ZIP),
            Map.entry("application/x-zip-compressed", ZIP),
            Map.entry("application/x-7z-compressed", SEVEN_Z),
            Map.entry("application/x-tar", TAR),
            Map.entry("application/x-gtar", TAR),
            Map.entry("application/x-ustar", TAR),
            Map.entry("application/x-cpio", CPIO),
            Map.entry("application/x-archive", AR),
            Map.entry("application/x-arj", ARJ),
            Map.entry("application/gzip", GZIP),
            Map.entry("application/x-gzip", GZIP),
            Map.entry("application/x-bzip2", BZIP2),
            Map.entry("application/x-bzip", BZIP2),
            Map.entry("application/x-xz", XZ),
            Map.entry("application/x-lzma", LZMA),
            Map.entry("application/x-compress", COMPRESS_Z),
            Map.entry("application/x-lz4", LZ4),
            Map.entry("application/x-snappy-framed", SNAPPY),
            // Tika names a section "application/onenote; format=one"; its table of contents has no files but is harmless.
            Map.entry("application/onenote", ONENOTE),
            Map.entry("application/msonenote", ONENOTE),
            Map.entry("application/pdf", PDF),
            Map.entry("application/x-iso9660-image", DISK_IMAGE));

    private final boolean archive;

    ContainerFormat(boolean archive) {
        this.archive = archive;
    }

    /** An archive of named members, as opposed to a message or a single compressed stream. */
    public boolean archive() {
        return archive;
    }

    /**
     * The format of a sample whose content was detected as {@code typeByContent}, declared as
     * {@code typeDeclared}; empty for anything Peekaboo does not open.
     */
    public static Optional<ContainerFormat> of(String typeByContent, String typeDeclared) {
        ContainerFormat byContent = typeByContent == null ? null : BY_TYPE.get(bare(typeByContent));
        if (byContent != null) {
            return Optional.of(byContent);
        }
        if (typeDeclared != null && BY_TYPE.get(bare(typeDeclared)) == MESSAGE
                && (typeByContent == null || typeByContent.startsWith("text/"))) {
            return Optional.of(MESSAGE);
        }
        return Optional.empty();
    }

    private static String bare(String type) {
        int parameters = type.indexOf(';');
        return (parameters < 0 ? type : type.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
