package org.peekaboo.expansion;

import java.util.Objects;
import java.util.Optional;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleSpool;

/**
 * Opens containers: whole messages with Jakarta Mail ({@link MessageReader}), archives and compressed
 * streams with Apache Commons Compress and zip4j ({@link ArchiveReader}), the files embedded in OneNote
 * sections ({@link OneNoteReader}), the files attached to PDFs ({@link PdfReader}). One per daemon; stateless
 * apart from its settings, so thread-safe.
 */
public final class Expander {
    private final ExpansionSettings settings;
    private final SampleSpool spool;
    private final ContainerReader messages;
    private final ContainerReader archives;
    private final ContainerReader oneNote;
    private final ContainerReader pdf;

    public Expander(ExpansionSettings settings, SampleSpool spool) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.messages = new MessageReader();
        this.archives = new ArchiveReader();
        this.oneNote = new OneNoteReader();
        this.pdf = new PdfReader();
    }

    public ExpansionSettings settings() {
        return settings;
    }

    /** The container format of a sample with these types, if Peekaboo opens it and expansion is on. */
    public Optional<ContainerFormat> formatOf(String typeByContent, String typeDeclared) {
        return settings.enabled() ? ContainerFormat.of(typeByContent, typeDeclared) : Optional.empty();
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
            default -> archives;
        };
        return reader.read(content, format, name, passwords, budget);
    }
}
