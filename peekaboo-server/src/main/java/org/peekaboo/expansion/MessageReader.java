package org.peekaboo.expansion;

import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.sample.SampleContent;

final class MessageReader implements ContainerReader {
    private final ExpansionSettings settings;

    MessageReader(ExpansionSettings settings) {
        this.settings = settings;
    }

    @Override
    public Expansion read(SampleContent content, ContainerFormat format, String name, Passwords passwords,
                          ExpansionBudget budget) {
        return Expansion.failed(new Finding(Finding.Kind.UNREADABLE, format + " is not opened yet"));
    }
}
