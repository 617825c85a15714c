package org.peekaboo.expansion;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * OneNote-like sections built in memory: the section header GUID, then whatever the test puts in
 * (names as [MS-ONE] stores EmbeddedFileName, FileDataStoreObjects). Not a valid revision store; the
 * reader does not parse one. Public for the engine and corpus tests.
 */
public final class OneNoteFixtures {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private OneNoteFixtures() {
        bytes.writeBytes(OneNoteLayout.guid("7B5C52E4-D88C-4DA7-AEB1-5378D02996D3"));
        bytes.writeBytes(new byte[64]);
    }

    /** A section starting with the header GUID and some zero bytes of header. */
    public static OneNoteFixtures section() {
        return new OneNoteFixtures();
    }

    /** A property value of type prtFourBytesOfLengthFollowedByData holding {@code name} in UTF-16LE. */
    public OneNoteFixtures name(String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_16LE);
        bytes.writeBytes(littleEndian(4).putInt(text.length).array());
        bytes.writeBytes(text);
        bytes.writeBytes(new byte[12]);
        return this;
    }

    /** A FileDataStoreObject holding {@code data}, padded to 8 bytes as [MS-ONESTORE] 2.6.13 has it. */
    public OneNoteFixtures file(byte[] data) {
        return file(data, data.length, true);
    }

    /** A FileDataStoreObject declaring {@code declaredLength} bytes, with {@code data} and perhaps no footer. */
    public OneNoteFixtures file(byte[] data, long declaredLength, boolean footer) {
        bytes.writeBytes(OneNoteLayout.HEADER);
        bytes.writeBytes(littleEndian(20).putLong(declaredLength).array());
        bytes.writeBytes(data);
        bytes.writeBytes(new byte[(8 - data.length % 8) % 8]);
        if (footer) {
            bytes.writeBytes(OneNoteLayout.FOOTER);
        }
        return this;
    }

    /** Raw bytes, e.g. the rest of a revision store. */
    public OneNoteFixtures raw(byte[] raw) {
        bytes.writeBytes(raw);
        return this;
    }

    public byte[] bytes() {
        return bytes.toByteArray();
    }

    /** The smallest PNG header, enough for type detection to call it a picture. */
    public static byte[] png() {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
