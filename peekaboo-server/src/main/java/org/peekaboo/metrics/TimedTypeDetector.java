package org.peekaboo.metrics;

import java.io.IOException;
import java.time.Duration;
import org.peekaboo.analysis.AnalysisEvents;
import org.peekaboo.sample.FileHead;
import org.peekaboo.sample.FileTypeDetector;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.sample.Sample;

/**
 * Times type detection by content where it happens, inside the rules that ask for it, so the
 * ruleset needs no hook of its own. A detection that fails is not timed: no type was detected.
 */
record TimedTypeDetector(FileTypeDetector detector, AnalysisEvents events) implements FileTypeDetector {
    @Override
    public FileTypeReport detect(Sample sample) throws IOException {
        long started = System.nanoTime();
        FileTypeReport report = detector.detect(sample);
        took(started);
        return report;
    }

    @Override
    public FileTypeReport detect(Sample sample, FileHead head) throws IOException {
        long started = System.nanoTime();
        FileTypeReport report = detector.detect(sample, head);
        took(started);
        return report;
    }

    private void took(long startedNanos) {
        events.stageTook(AnalysisEvents.Stage.TYPE, Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
