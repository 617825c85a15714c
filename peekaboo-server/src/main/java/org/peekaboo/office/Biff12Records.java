package org.peekaboo.office;

/**
 * Walks the records of one BIFF12 part of an .xlsb workbook ([MS-XLSB] 2.1.4): a record type
 * of one or two bytes and a size of one to four bytes, both 7 bits a byte with the high bit
 * saying another byte follows, then the record's data. The part is already in memory within
 * the part size limit; a record that claims more bytes than the part holds, or a type or size
 * that does not end where the format says it must, is corrupt and refused, never skipped.
 */
final class Biff12Records {
    /** The most bytes of a record type and of a record size ([MS-XLSB] 2.1.4). */
    private static final int TYPE_BYTES = 2;
    private static final int SIZE_BYTES = 4;

    private final byte[] part;
    private final String where;
    private int position;
    private int type;
    private int start;
    private int size;

    Biff12Records(byte[] part, String where) {
        this.part = part;
        this.where = where;
    }

    /** Moves to the next record; false at the end of the part. */
    boolean next() throws OfficeDocumentException {
        if (position >= part.length) {
            return false;
        }
        type = varint(TYPE_BYTES, "record type");
        size = varint(SIZE_BYTES, "record size");
        if (size > part.length - position) {
            throw corrupt("record " + type + " of " + size + " bytes runs past the end of the part");
        }
        start = position;
        position += size;
        return true;
    }

    int type() {
        return type;
    }

    /** The current record's data, as a reader that refuses to read past its end. */
    Biff12Data data() {
        return new Biff12Data(part, start, size, where, type);
    }

    private int varint(int maxBytes, String what) throws OfficeDocumentException {
        int value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (position >= part.length) {
                throw corrupt("the part ends inside a " + what);
            }
            int b = part[position++] & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("a " + what + " is longer than " + maxBytes + " bytes");
    }

    private OfficeDocumentException corrupt(String problem) {
        return new OfficeDocumentException(where + ": corrupt BIFF12 part: " + problem
                + "; the macros cannot be judged");
    }
}
