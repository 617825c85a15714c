package org.peekaboo.rtf;

/**
 * How much of an RTF document {@link RtfScanner} reads: hostile documents are megabytes of hex,
 * thousands of objects or groups nested without end, and none of that may cost more than these.
 *
 * @param maxBytes       bytes of the document read; the rest is not looked at
 * @param maxObjects     {@code \object} groups and {@code \objdata} destinations kept
 * @param maxObjectBytes decoded bytes of one object's {@code \objdata} kept (its beginning); all
 *                       objects together keep at most twice as many
 * @param maxDepth       group nesting followed; deeper groups count as the deepest one
 */
public record RtfLimits(long maxBytes, int maxObjects, int maxObjectBytes, int maxDepth) {
    /** Real documents are far below these; droppers pad with megabytes of junk, not hundreds. */
    public static final RtfLimits DEFAULT = new RtfLimits(64L << 20, 100, 16 << 20, 512);

    public RtfLimits {
        if (maxBytes < 1 || maxObjects < 1 || maxObjectBytes < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("RTF limits must be positive: " + maxBytes + ", " + maxObjects
                    + ", " + maxObjectBytes + ", " + maxDepth);
        }
    }
}
