package org.peekaboo.sample;

import java.util.Objects;

/**
 * A file a client asks about, with what the mail declared about it. Nothing here is
 * trusted: the path is checked against the allowed directories before it is opened,
 * and the declared values are only metadata.
 *
 * @param fullName           the path as the client sent it
 * @param nameDeclared       declared file name (may contain directories), or null
 * @param typeDeclared       declared MIME type, or null
 * @param contentDisposition declared content disposition, or null
 */
public record SampleDeclaration(String fullName, String nameDeclared, String typeDeclared,
                                String contentDisposition) {
    public SampleDeclaration {
        Objects.requireNonNull(fullName, "fullName");
    }

    public static SampleDeclaration ofPath(String fullName) {
        return new SampleDeclaration(fullName, null, null, null);
    }
}
