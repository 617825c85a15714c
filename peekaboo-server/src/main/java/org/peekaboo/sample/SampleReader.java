package org.peekaboo.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Turns a file named by a client into a {@link Sample}. The content is streamed once through
 * a buffer of at most {@value #BUFFER_SIZE} bytes, no larger than the file, so attachments of
 * any size cost a small amount of heap and the many small ones hardly any. Stateless and
 * thread-safe.
 */
public final class SampleReader implements SampleSource {
    static final int BUFFER_SIZE = 64 * 1024;

    @Override
    public Sample read(Path realPath, SampleDeclaration declaration) throws IOException {
        Objects.requireNonNull(realPath, "realPath");
        Objects.requireNonNull(declaration, "declaration");
        MessageDigest digest = SampleIdentity.sha256();
        long size = 0;
        try (SeekableByteChannel channel = Files.newByteChannel(realPath);
             InputStream in = Channels.newInputStream(channel)) {
            // One byte more than the file has, so that a small file is read to its end in one call.
            byte[] buffer = new byte[(int) Math.min(BUFFER_SIZE, channel.size() + 1)];
            int read;
            while ((read = in.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
                size += read;
            }
        } catch (IOException e) {
            throw new IOException("Cannot read sample " + realPath + ": " + e, e);
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        String nameDeclared = DeclaredName.basename(declaration.nameDeclared());
        String identity = SampleIdentity.of(sha256, nameDeclared, declaration.typeDeclared(),
                declaration.contentDisposition());
        return new Sample(realPath, sha256, size, nameDeclared, declaration.typeDeclared(),
                declaration.contentDisposition(), identity);
    }
}
