package org.peekaboo.ruleset;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.peekaboo.sample.FileTypeReport;

/**
 * The type set the list rules judge: the types detected by content and by name plus the
 * declared type, as PeekabooAV forms it. MIME types are case-insensitive (RFC 2045), so
 * the set and the configured lists are compared in lower case.
 */
final class DeclaredAndDetectedTypes {
    private DeclaredAndDetectedTypes() {
    }

    static Set<String> of(SampleContext context) throws IOException {
        FileTypeReport detected = context.fileTypes();
        Set<String> types = new LinkedHashSet<>();
        for (String type : detected.mimeTypes()) {
            types.add(normalised(type));
        }
        String declared = context.sample().typeDeclared();
        if (declared != null) {
            types.add(normalised(declared));
        }
        return types;
    }

    /** A configured type list in comparable form; order kept for messages and equality of intent. */
    static Set<String> normalisedList(Collection<String> types, String what) {
        LinkedHashSet<String> normalised = new LinkedHashSet<>();
        for (String type : types) {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException(what + " contains an empty entry");
            }
            normalised.add(normalised(type));
        }
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return Collections.unmodifiableSequencedSet(normalised);
    }

    static String describe(Set<String> types) {
        return String.join(", ", types);
    }

    private static String normalised(String type) {
        return type.trim().toLowerCase(Locale.ROOT);
    }
}
