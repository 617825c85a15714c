package org.peekaboo.sample;

import java.io.IOException;

/** Detects what kind of file a sample is, from its content and its declared name. */
public interface FileTypeDetector {
    FileTypeReport detect(Sample sample) throws IOException;
}
