package org.peekaboo.listener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The process's soft limit of open files, as {@code /proc/self/limits} shows it (Linux only). */
final class OpenFileLimit {
    private static final Path LIMITS = Path.of("/proc/self/limits");

    private OpenFileLimit() {
    }

    static OptionalLong soft() {
        try {
            return parse(Files.readAllLines(LIMITS));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** From lines like {@code Max open files            1024                 524288               files}. */
    static OptionalLong parse(Iterable<String> lines) {
        for (String line : lines) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                if (fields.length > 0 && fields[0].matches("\\d+")) {
                    return OptionalLong.of(Long.parseLong(fields[0]));
                }
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
