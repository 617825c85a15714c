package org.peekaboo.ruleset.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peekaboo.ruleset.SampleContext;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.testing.TestContents;

/** Real sample files in a test's temporary directory. */
public final class TestSamples {
    private final Path dir;

    public TestSamples(Path dir) {
        this.dir = dir;
    }

    /** A part file with {@code content}, declared with the given name and type (either may be null). */
    public Sample sample(String content, String nameDeclared, String typeDeclared) throws IOException {
        return sample(content.getBytes(StandardCharsets.UTF_8), nameDeclared, typeDeclared);
    }

    public Sample sample(byte[] content, String nameDeclared, String typeDeclared) throws IOException {
        // A fresh name per file, like amavis' part files, so samples of one test never share content.
        Path file = Files.write(Files.createTempFile(dir, "p", ""), content);
        return of(file, nameDeclared, typeDeclared);
    }

    public static Sample of(Path file, String nameDeclared, String typeDeclared) throws IOException {
        return TestContents.read(file, new SampleDeclaration(file.toString(), nameDeclared, typeDeclared, null));
    }

    public static SampleContext context(Sample sample, FileTypeDetector detector) {
        return new SampleContext(sample, 1, detector);
    }
}
