package org.peekaboo.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where a configuration line was read, for messages an operator can act on. */
public record ConfigLocation(Path file, int line) {
    public ConfigLocation {
        Objects.requireNonNull(file, "file");
        if (line < 1) {
            throw new IllegalArgumentException("line numbers start at 1, got " + line);
        }
    }

    /** {@code file:line}, the form editors and grep understand. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
