package org.peekaboo.expansion;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleSpool;

/**
 * Opens containers: whole messages with Jakarta Mail ({@link MessageReader}), archives and compressed
 * streams with Apache Commons Compress and zip4j ({@link ArchiveReader}), the files embedded in OneNote
 * sections ({@link OneNoteReader}), the files attached to PDFs ({@link PdfReader}). One per daemon; stateless
 * sections ({@link OneNoteReader}), the files of disk images ({@link DiskImageReader}). One per daemon; stateless
 * apart from its settings, so thread-safe.
 */
public final class Expander {
    /**
     * Types by content under which a disk image hides: Tika calls FAT32, NTFS and partitioned images
     * octet-stream, and names FAT12/16 images and VHDs after magic bytes too loose to be believed alone.
     */
    private static final Set<String> MAYBE_DISK_IMAGE = Set.of("application/octet-stream",
            "application/x-fat-diskimage", "application/x-vhd");

    private final ExpansionSettings settings;
    private final SampleSpool spool;
    private final ContainerReader messages;
    private final ContainerReader archives;
    private final ContainerReader oneNote;
    private final ContainerReader pdf;
    private final ContainerReader diskImages;

    public Expander(ExpansionSettings settings, SampleSpool spool) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.messages = new MessageReader();
        this.archives = new ArchiveReader();
        this.oneNote = new OneNoteReader();
        this.pdf = new PdfReader();
        this.diskImages = new DiskImageReader();
    }

    public ExpansionSettings settings() {
        return settings;
    }

    /** The container format of a sample with these types, if Peekaboo opens it and expansion is on. */
    public Optional<ContainerFormat> formatOf(String typeByContent, String typeDeclared) {
        return settings.enabled() ? ContainerFormat.of(typeByContent, typeDeclared) : Optional.empty();
    }

    /**
     * As {@link #formatOf(String, String)}, and a disk image recognised by its content where Tika sees
     * only octet-stream (FAT, VHD, NTFS and partitioned images have no type of their own).
     */
    public Optional<ContainerFormat> formatOf(String typeByContent, String typeDeclared,
                                              org.peekaboo.sample.SampleContent content) throws IOException {
        Optional<ContainerFormat> format = formatOf(typeByContent, typeDeclared);
        if (format.isPresent() || !settings.enabled() || typeByContent != null && !MAYBE_DISK_IMAGE.contains(typeByContent)) {
            return format;
        }
        return DiskImage.kindOf(content).map(kind -> ContainerFormat.DISK_IMAGE);
    }

    /** A budget for the unpacking of one top-level sample, starting now. */
    public ExpansionBudget newBudget() {
        return new ExpansionBudget(settings, spool, System::nanoTime);
    }

    /** Opens one container; see {@link ContainerReader#read}. */
    public Expansion expand(org.peekaboo.sample.SampleContent content, ContainerFormat format, String name,
                            Passwords passwords, ExpansionBudget budget) {
        ContainerReader reader = switch (format) {
            case MESSAGE -> messages;
            case ONENOTE -> oneNote;
            case PDF -> pdf;
            case DISK_IMAGE -> diskImages;
            default -> archives;
        };
        return reader.read(content, format, name, passwords, budget);
    }
}
