package org.peekaboo.rtf;

import java.util.List;

/**
 * The objects of an RTF document and what kept the scanner from reading all of it.
 *
 * @param objects  the objects, in document order (at most {@link RtfLimits#maxObjects()})
 * @param problems limits reached, each said once
 */
public record RtfScan(List<RtfObject> objects, List<String> problems) {
    public RtfScan {
        objects = List.copyOf(objects);
        problems = List.copyOf(problems);
    }
}
