package org.peekaboo.sample.magic;

/**
 * Bytes of the content as ISO-8859-1 characters, followed by NUL characters up to a fixed
 * length: the text Tika builds (by copying and decoding) for a regular expression to look
 * at, read in place instead.
 */
final class ContentChars implements CharSequence {
    private final byte[] data;
    private final int offset;
    private final int inData;
    private final int length;

    /** {@code inData} bytes of {@code data} from {@code offset}, then zeros up to {@code length}. */
    ContentChars(byte[] data, int offset, int inData, int length) {
        this.data = data;
        this.offset = offset;
        this.inData = inData;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return index < inData ? (char) (data[offset + index] & 0xFF) : '\0';
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException(start + ".." + end);
        }
        return new ContentChars(data, offset + start, Math.max(0, Math.min(inData - start, end - start)), end - start);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(charAt(i));
        }
        return text.toString();
    }
}
