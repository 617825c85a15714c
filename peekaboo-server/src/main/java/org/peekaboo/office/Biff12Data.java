package org.peekaboo.office;

import java.nio.charset.StandardCharsets;

/**
 * The data of one BIFF12 record, read front to back in little-endian order. Every read is
 * checked against the record's end, so a length field that lies gives a clear
 * {@link OfficeDocumentException} instead of a read into the next record or beyond the part.
 */
final class Biff12Data {
    private final byte[] bytes;
    private final int end;
    private final String where;
    private final int type;
    private int position;

    Biff12Data(byte[] bytes, int offset, int length, String where, int type) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
        this.where = where;
        this.type = type;
    }

    int remaining() {
        return end - position;
    }

    int position() {
        return position;
    }

    byte[] bytes() {
        return bytes;
    }

    int u8() throws OfficeDocumentException {
        need(1);
        return bytes[position++] & 0xFF;
    }

    int u16() throws OfficeDocumentException {
        need(2);
        int value = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8;
        position += 2;
        return value;
    }

    /** A 4-byte value; as an int, so counts above 2^31 come out negative and are refused by {@link #count}. */
    int i32() throws OfficeDocumentException {
        int low = u16();
        return low | u16() << 16;
    }

    double float64() throws OfficeDocumentException {
        long low = i32() & 0xFFFFFFFFL;
        long high = i32() & 0xFFFFFFFFL;
        return Double.longBitsToDouble(low | high << 32);
    }

    void skip(int count) throws OfficeDocumentException {
        need(count);
        position += count;
    }

    /** A 4-byte count of {@code unit}-byte items that must fit in what is left of the record. */
    int count(int unit, String what) throws OfficeDocumentException {
        int count = i32();
        if (count < 0 || (long) count * unit > remaining()) {
            throw corrupt(what + " of " + Integer.toUnsignedString(count) + " runs past the end of the record");
        }
        return count;
    }

    /** XLWideString: a 4-byte character count, then UTF-16LE. */
    String wideString() throws OfficeDocumentException {
        return utf16(count(2, "a string"));
    }

    /** XLNullableWideString: as {@link #wideString()}, 0xFFFFFFFF for none. */
    String nullableWideString() throws OfficeDocumentException {
        need(4);
        if (bytes[position] == -1 && bytes[position + 1] == -1 && bytes[position + 2] == -1
                && bytes[position + 3] == -1) {
            position += 4;
            return null;
        }
        return wideString();
    }

    /** {@code chars} UTF-16LE code units. */
    String utf16(int chars) throws OfficeDocumentException {
        need(2L * chars);
        String text = new String(bytes, position, 2 * chars, StandardCharsets.UTF_16LE);
        position += 2 * chars;
        return text;
    }

    private void need(long count) throws OfficeDocumentException {
        if (count < 0 || count > remaining()) {
            throw corrupt("a field runs past the end of the record");
        }
    }

    OfficeDocumentException corrupt(String problem) {
        return new OfficeDocumentException(where + ": corrupt BIFF12 record " + type + ": " + problem
                + "; the macros cannot be judged");
    }
}
