package org.peekaboo.sample.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.peekaboo.config.AnalysisSettings;
import org.peekaboo.config.ExpansionSettings;
import org.peekaboo.expansion.Expander;
import org.peekaboo.posix.LibcFiles;
import org.peekaboo.sample.CheckedFile;
import org.peekaboo.sample.Sample;
import org.peekaboo.sample.SampleContent;
import org.peekaboo.sample.SampleDeclaration;
import org.peekaboo.sample.SampleReader;
import org.peekaboo.sample.SampleSpool;

/** Samples for tests, read the way the daemon reads them: the real opener, a private spool. */
public final class TestContents {
    private static final Duration PATIENCE = Duration.ofMinutes(1);
    private static final Path SPOOL_PARENT = Path.of("target", "sample-spool").toAbsolutePath();

    private TestContents() {
    }

    /** An expander with the default settings over the tests' spool. */
    public static Expander expander() {
        return expander(ExpansionSettings.defaults());
    }

    public static Expander expander(ExpansionSettings settings) {
        return new Expander(settings, spool());
    }

    /** A reader with the daemon's defaults. */
    public static SampleReader reader() {
        return reader(AnalysisSettings.DEFAULT_MAX_SAMPLE_SIZE);
    }

    public static SampleReader reader(long maxSize) {
        return new SampleReader(LibcFiles.load(), spool(), maxSize);
    }

    /** The sample of {@code file} as {@code declaration} declares it. */
    public static Sample read(Path file, SampleDeclaration declaration) throws IOException {
        SampleContent content = reader().read(CheckedFile.at(file.toRealPath()), System.nanoTime() + PATIENCE.toNanos());
        return Sample.of(content, declaration);
    }

    /** Content for samples whose bytes do not matter (stores, front ends). */
    public static SampleContent of(byte[] bytes) {
        return SampleContent.of(bytes, spool());
    }

    /**
     * Tests rarely close their samples' contents; the copies they make stay below {@code target},
     * where {@code mvn clean} removes them, not in the system's temporary directory.
     */
    private static SampleSpool spool() {
        try {
            return SampleSpool.under(Files.createDirectories(SPOOL_PARENT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SampleContent empty() {
        return of(new byte[0]);
    }
}
