package org.peekaboo.sample;

import java.io.IOException;
import java.nio.file.Path;

/** Where the engine gets a sample's content and identity from; {@link SampleReader} reads files. */
@FunctionalInterface
public interface SampleSource {

    /**
     * The sample at {@code realPath}, which the caller has already resolved and checked; the
     * declaration only contributes metadata.
     *
     * @throws IOException naming the path when the file cannot be read to the end
     */
    Sample read(Path realPath, SampleDeclaration declaration) throws IOException;
}
