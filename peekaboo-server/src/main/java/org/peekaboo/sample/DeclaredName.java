package org.peekaboo.sample;

/** Declared names arrive with whatever path the sender put in; only the last segment counts. */
public final class DeclaredName {
    private DeclaredName() {
    }

    /**
     * The part after the last slash (POSIX separators only, as PeekabooAV), so a declared
     * name can never point anywhere. Null stays null.
     */
    public static String basename(String name) {
        if (name == null) {
            return null;
        }
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
