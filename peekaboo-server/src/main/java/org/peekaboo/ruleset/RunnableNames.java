package org.peekaboo.ruleset;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.peekaboo.sample.FileExtension;

/**
 * What Windows does with a file by its name alone: the extensions of shortcuts, programs, scripts
 * and disk images, which it runs, follows or mounts on a double-click. The rules that judge a
 * container by the names inside it ({@code disk_image}, {@code rar_archive}) share them.
 */
final class RunnableNames {
    static final Set<String> SHORTCUTS = Set.of("lnk", "url", "library-ms", "search-ms", "searchconnector-ms",
            "scf");
    static final Set<String> PROGRAMS = Set.of("exe", "dll", "scr", "com", "pif", "cpl", "msi", "msp", "jar");
    static final Set<String> DISK_IMAGES = Set.of("iso", "img", "vhd", "vhdx");

    private RunnableNames() {
    }

    /**
     * The lower-case extension of the last component of {@code path} ('/' separated) as Windows
     * saves it, trailing dots and spaces dropped; "" when there is none.
     */
    static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).replaceFirst("[. ]+$", "");
        String extension = FileExtension.of(name);
        return extension == null ? "" : extension.toLowerCase(Locale.ROOT);
    }

    /** What a file called {@code path} is to Windows, e.g. "a program", if it runs, follows or mounts it. */
    static Optional<String> kind(String path) {
        String ext = extension(path);
        if (SHORTCUTS.contains(ext)) {
            return Optional.of("a Windows shortcut");
        }
        if (PROGRAMS.contains(ext)) {
            return Optional.of("a program");
        }
        if (DISK_IMAGES.contains(ext)) {
            return Optional.of("a disk image");
        }
        return Optional.ofNullable(ScriptAttachmentRule.EXTENSIONS.get(ext));
    }
}
