package org.peekaboo.sample;

import java.util.Objects;

/**
 * A file to be judged: its content identified by hash, plus the metadata the mail
 * declared for it. Two samples with the same {@link #identity()} get the same verdict,
 * so it is the key for the result cache and for deduplication.
 *
 * @param content            the private snapshot of the bytes every rule reads; never the client's file
 * @param sha256             lower-case hex SHA-256 of the content
 * @param size               content length in bytes
 * @param nameDeclared       basename of the declared file name, or null
 * @param typeDeclared       declared MIME type, or null
 * @param contentDisposition declared content disposition, or null
 * @param identity           see {@link SampleIdentity}
 * @param declaredPath       for a member of an archive or message, the chain of declared names that leads
 *                           to it ({@code invoice.zip/docs/invoice.docm}); for a sample a client named, its
 *                           declared name. Shown and stored; not part of the identity, so the same member
 *                           in containers of other names is judged once
 */
public record Sample(SampleContent content, String sha256, long size, String nameDeclared, String typeDeclared,
                     String contentDisposition, String identity, String declaredPath) {
    /** What a member without a declared name is called in chains: its position in the container. */
    private static final String UNNAMED_MEMBER = "part ";
    /** What a container without a declared name is called in its members' chains. */
    private static final String UNNAMED_CONTAINER = "(unnamed)";

    public Sample {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(identity, "identity");
    }

    /** A sample a client named, whose declared path is its declared name. */
    public Sample(SampleContent content, String sha256, long size, String nameDeclared, String typeDeclared,
                  String contentDisposition, String identity) {
        this(content, sha256, size, nameDeclared, typeDeclared, contentDisposition, identity, nameDeclared);
    }

    /** The sample of {@code content} as {@code declaration} declares it: hash and size are the content's own. */
    public static Sample of(SampleContent content, SampleDeclaration declaration) {
        String nameDeclared = DeclaredName.basename(declaration.nameDeclared());
        String identity = SampleIdentity.of(content.sha256(), nameDeclared, declaration.typeDeclared(),
                declaration.contentDisposition());
        return new Sample(content, content.sha256(), content.size(), nameDeclared, declaration.typeDeclared(),
                declaration.contentDisposition(), identity);
    }

    /**
     * A member of this container: the {@code index}th (from 1), {@code path} inside it as the container
     * declares it (or null), with the declared type and disposition the container gives it.
     */
    public Sample member(SampleContent memberContent, int index, String path, String memberType,
                         String memberDisposition) {
        // Archivers on Windows write backslashes; the name is the last segment either way.
        String nameDeclared = DeclaredName.basename(path == null ? null : path.replace('\\', '/'));
        if (nameDeclared != null && nameDeclared.isEmpty()) {
            nameDeclared = null;
        }
        String identity = SampleIdentity.of(memberContent.sha256(), nameDeclared, memberType, memberDisposition);
        String chain = (declaredPath == null ? UNNAMED_CONTAINER : declaredPath) + "/"
                + (path == null || path.isEmpty() ? UNNAMED_MEMBER + index : path);
        return new Sample(memberContent, memberContent.sha256(), memberContent.size(), nameDeclared, memberType,
                memberDisposition, identity, chain);
    }

    /** The sanitised extension of the declared name, or null; see {@link FileExtension}. */
    public String fileExtension() {
        return FileExtension.of(nameDeclared);
    }
}
