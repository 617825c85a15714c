package org.peekaboo.sample;

import java.io.IOException;

/** Detects what kind of file a sample is, from its content and its declared name. */
public interface FileTypeDetector {
    /** Detects the type from the head of the sample's content. */
    FileTypeReport detect(Sample sample) throws IOException;

    /**
     * Detects the type from a head the caller has already read, so that the file is read
     * only once. Detectors that do not look at content may ignore it.
     */
    default FileTypeReport detect(Sample sample, FileHead head) throws IOException {
        return detect(sample);
    }
}
