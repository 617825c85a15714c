package org.peekaboo.rtf;

import java.util.Objects;
import java.util.Optional;

/**
 * The OLE1 object an {@code \objdata} holds (MS-OLEDS 2.2.4 / 2.2.5): its header and, for an
 * embedded object, what its native data turned out to be.
 *
 * @param formatId         1 linked, 2 embedded (others are not OLE1 objects Word loads)
 * @param className        the class name as far as it could be read
 * @param classNameLength  the length the header declares for the class name, terminator included
 * @param topic            the topic name (a linked object's file or URL)
 * @param item             the item name
 * @param nativeSize       the size the header declares for the native data
 * @param nativeData       the native data as far as it was decoded
 * @param packaged         the packaged file of a {@code Package} object
 * @param compound         what the native data's OLE2 compound file holds
 * @param problem          why part of the object could not be read ("" when it could)
 */
public record Ole1Object(int formatId, String className, long classNameLength, String topic, String item,
                         long nativeSize, byte[] nativeData, Optional<PackagedFile> packaged,
                         Optional<CompoundObject> compound, String problem) {
    public static final int LINKED = 1;
    public static final int EMBEDDED = 2;

    public Ole1Object {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(nativeData, "nativeData");
        Objects.requireNonNull(packaged, "packaged");
        Objects.requireNonNull(compound, "compound");
        Objects.requireNonNull(problem, "problem");
    }

    /** The native data; the array is the object's own, not a copy: it may be megabytes. */
    @Override
    public byte[] nativeData() {
        return nativeData;
    }

    public boolean isOle2() {
        return nativeData.length >= 8 && (nativeData[0] & 0xFF) == 0xD0 && (nativeData[1] & 0xFF) == 0xCF
                && nativeData[2] == 0x11 && (nativeData[3] & 0xFF) == 0xE0;
    }
}
