package org.peekaboo.ruleset.testing;

import java.io.IOException;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;

/** Answers every sample with one fixed report, or fails like an unreadable file; counts calls. */
public final class FakeFileTypeDetector implements FileTypeDetector {
    private final FileTypeReport report;
    private final IOException failure;
    private int calls;

    private FakeFileTypeDetector(FileTypeReport report, IOException failure) {
        this.report = report;
        this.failure = failure;
    }

    public static FakeFileTypeDetector reporting(String typeByContent, String typeByName) {
        return new FakeFileTypeDetector(new FileTypeReport(typeByContent, typeByName, null), null);
    }

    public static FakeFileTypeDetector nothingDetected() {
        return reporting(null, null);
    }

    public static FakeFileTypeDetector failingWith(IOException failure) {
        return new FakeFileTypeDetector(null, failure);
    }

    public int calls() {
        return calls;
    }

    @Override
    public FileTypeReport detect(Sample sample) throws IOException {
        calls++;
        if (failure != null) {
            throw failure;
        }
        return report;
    }
}
