package org.peekaboo.expansion;

import java.util.Objects;
import org.peekaboo.sample.SampleContent;

/**
 * One thing a container holds: a part of a message or a member of an archive, with what the
 * container declared about it. The caller owns {@link #content()} and closes it.
 *
 * @param content            the member's bytes (decoded from any transfer encoding, decompressed)
 * @param path               the name the container gives it, as declared (for an archive member the
 *                           path inside the archive, e.g. {@code docs/invoice.docm}); null when none
 * @param typeDeclared       the declared MIME type without parameters, lower case, or null
 * @param contentDisposition the declared disposition type ({@code attachment}, {@code inline}), or null
 */
public record Member(SampleContent content, String path, String typeDeclared, String contentDisposition) {
    public Member {
        Objects.requireNonNull(content, "content");
    }
}
