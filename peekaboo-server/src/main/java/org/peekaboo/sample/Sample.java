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
 */
public record Sample(SampleContent content, String sha256, long size, String nameDeclared, String typeDeclared,
                     String contentDisposition, String identity) {
    public Sample {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(identity, "identity");
    }

    /** The sample of {@code content} as {@code declaration} declares it: hash and size are the content's own. */
    public static Sample of(SampleContent content, SampleDeclaration declaration) {
        String nameDeclared = DeclaredName.basename(declaration.nameDeclared());
        String identity = SampleIdentity.of(content.sha256(), nameDeclared, declaration.typeDeclared(),
                declaration.contentDisposition());
        return new Sample(content, content.sha256(), content.size(), nameDeclared, declaration.typeDeclared(),
                declaration.contentDisposition(), identity);
    }

    /** The sanitised extension of the declared name, or null; see {@link FileExtension}. */
    public String fileExtension() {
        return FileExtension.of(nameDeclared);
    }
}
