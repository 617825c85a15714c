package org.peekaboo.expansion;

import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleContent;

final class ArchiveReader implements ContainerReader {
    private final ExpansionSettings settings;

    ArchiveReader(ExpansionSettings settings) {
        this.settings = settings;
    }

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        return Expansion.failed(new Finding(Finding.Kind.UNREADABLE, format + " is not opened yet"));
    }
}
