package org.peekaboo.sample;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a sample's type looks like, PeekabooAV's {@code filereport}.
 *
 * @param typeByContent MIME type detected from the content, or null
 * @param typeByName    MIME type guessed from the declared name, or null
 * @param typeAsText    a human description of the detected type, or null
 */
public record FileTypeReport(String typeByContent, String typeByName, String typeAsText) {

    /** The detected types (by content and by name), absent ones left out. */
    public Set<String> mimeTypes() {
        Set<String> types = new LinkedHashSet<>();
        if (typeByContent != null) {
            types.add(typeByContent);
        }
        if (typeByName != null) {
            types.add(typeByName);
        }
        return types;
    }
}
