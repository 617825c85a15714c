package org.peekaboo.sample;

/**
 * The extension of a declared file name, as PeekabooAV derives it: what follows the last
 * dot of the basename (leading dots ignored). Only ASCII letters, digits and ASCII
 * punctuation other than {@code ? ; &} are accepted, because URL-like or non-ASCII
 * "extensions" break analysers and are never real file types.
 */
public final class FileExtension {
    private FileExtension() {
    }

    /** The extension, "" for a name without dot, or null for no name or a rejected extension. */
    public static String of(String name) {
        if (name == null) {
            return null;
        }
        String basename = DeclaredName.basename(name);
        String withoutLeadingDots = basename.replaceFirst("^\\.+", "");
        int dot = withoutLeadingDots.lastIndexOf('.');
        if (dot < 0) {
            return "";
        }
        String extension = withoutLeadingDots.substring(dot + 1);
        for (int i = 0; i < extension.length(); i++) {
            if (!isAllowed(extension.charAt(i))) {
                return null;
            }
        }
        return extension;
    }

    private static boolean isAllowed(char c) {
        if (c > 0x7e || c <= 0x20) {
            return false;
        }
        return c != '?' && c != ';' && c != '&';
    }
}
