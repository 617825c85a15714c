package org.peekaboo.rtf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the OLE1 object of an {@code \objdata} (MS-OLEDS 2.2: ObjectHeader, then the embedded
 * object's native data or the linked object's names) and the OLE Packager data of
 * {@code Package} objects. Every length is checked against the bytes there are: exploits of
 * Word's object loader lie about them.
 */
final class Ole1Reader {
    /** Class names are COM ProgIDs, which Windows limits to 39 characters. */
    static final int MAX_CLASS_NAME = 39;
    private static final int MAX_NAME_BYTES = 4096;
    private static final int PACKAGER_HEADER = 2;

    private final byte[] data;
    private final int length;
    private int pos;

    private Ole1Reader(byte[] data, int length, int pos) {
        this.data = data;
        this.length = length;
        this.pos = pos;
    }

    /** The OLE1 object in the first {@code length} bytes of {@code data}, or empty when they hold none. */
    static Optional<Ole1Object> read(byte[] data, int length) {
        if (length < 8) {
            return Optional.empty();
        }
        return new Ole1Reader(data, length, 0).object();
    }

    private Optional<Ole1Object> object() {
        pos = 4; // OLEVersion: Word writes 0x0501 but loads any
        int formatId = (int) uint32();
        if (formatId != Ole1Object.LINKED && formatId != Ole1Object.EMBEDDED) {
            return Optional.empty();
        }
        long classNameLength = available(4) ? uint32() : -1;
        if (classNameLength < 0) {
            return Optional.of(broken(formatId, "", 0, "its OLE1 header ends before the class name"));
        }
        String className = ansi(classNameLength);
        if (classNameLength > length - pos) {
            return Optional.of(broken(formatId, className, classNameLength,
                    "its class name is longer (" + classNameLength + " bytes) than its data"));
        }
        pos += (int) classNameLength;
        if (classNameLength > MAX_NAME_BYTES) {
            return Optional.of(broken(formatId, className, classNameLength, ""));
        }
        String topic = lengthPrefixed();
        String item = lengthPrefixed();
        if (topic == null || item == null) {
            return Optional.of(broken(formatId, className, classNameLength, "its OLE1 names are truncated"));
        }
        if (formatId == Ole1Object.LINKED) {
            return Optional.of(new Ole1Object(formatId, className, classNameLength, topic, item, 0, new byte[0],
                    Optional.empty(), Optional.empty(), ""));
        }
        if (!available(4)) {
            return Optional.of(new Ole1Object(formatId, className, classNameLength, topic, item, 0, new byte[0],
                    Optional.empty(), Optional.empty(), "its OLE1 header ends before the native data"));
        }
        long nativeSize = uint32();
        int kept = (int) Math.min(nativeSize, length - pos);
        byte[] nativeData = Arrays.copyOfRange(data, pos, pos + kept);
        String problem = kept < nativeSize ? "its native data is truncated (" + kept + " of " + nativeSize + " bytes)"
                : "";
        Optional<PackagedFile> packaged = Optional.empty();
        if (className.strip().toLowerCase(Locale.ROOT).equals("package")) {
            packaged = packagedFile(nativeData, nativeData.length);
            if (packaged.isEmpty() && problem.isEmpty()) {
                problem = "its package data cannot be read";
            }
        }
        return Optional.of(new Ole1Object(formatId, className, classNameLength, topic, item, nativeSize, nativeData,
                packaged, Optional.empty(), problem));
    }

    private Ole1Object broken(int formatId, String className, long classNameLength, String problem) {
        return new Ole1Object(formatId, className, classNameLength, "", "", 0, new byte[0], Optional.empty(),
                Optional.empty(), problem);
    }

    /**
     * The file of OLE Packager data: a header word 2, the label and the source path as
     * NUL-terminated strings, two words, the temporary path with its length, the file's size and
     * bytes. {@code \x01Ole10Native} streams put their total size first; both are accepted.
     */
    static Optional<PackagedFile> packagedFile(byte[] data, int length) {
        for (int start : new int[] {0, 4}) {
            Ole1Reader reader = new Ole1Reader(data, length, start);
            if (reader.available(2) && reader.uint16() == PACKAGER_HEADER) {
                Optional<PackagedFile> file = reader.packagerData();
                if (file.isPresent()) {
                    return file;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<PackagedFile> packagerData() {
        String label = terminated();
        String source = terminated();
        if (label == null || source == null || !available(4)) {
            return Optional.empty();
        }
        pos += 2;
        int type = uint16();
        if (type != 3) {
            // A link to a file rather than the file: nothing carried, the names are all there is.
            return Optional.of(new PackagedFile(label, source, "", 0, new byte[0]));
        }
        String temp = lengthPrefixed();
        if (temp == null || !available(4)) {
            return Optional.of(new PackagedFile(label, source, temp == null ? "" : temp, 0, new byte[0]));
        }
        long size = uint32();
        int headBytes = (int) Math.min(Math.min(size, PackagedFile.HEAD_BYTES), length - pos);
        return Optional.of(new PackagedFile(label, source, temp, size, Arrays.copyOfRange(data, pos, pos + headBytes)));
    }

    private String lengthPrefixed() {
        if (!available(4)) {
            return null;
        }
        long size = uint32();
        if (size > length - pos || size > MAX_NAME_BYTES) {
            return null;
        }
        String text = ansi(size);
        pos += (int) size;
        return text;
    }

    /** At most the first 256 characters of an ANSI string of {@code size} bytes at the position, NUL and after cut. */
    private String ansi(long size) {
        int end = (int) Math.min(pos + Math.min(size, 256), length);
        int stop = pos;
        while (stop < end && data[stop] != 0) {
            stop++;
        }
        return new String(data, pos, stop - pos, StandardCharsets.ISO_8859_1);
    }

    private String terminated() {
        int end = Math.min(length, pos + MAX_NAME_BYTES);
        for (int i = pos; i < end; i++) {
            if (data[i] == 0) {
                String text = new String(data, pos, i - pos, StandardCharsets.ISO_8859_1);
                pos = i + 1;
                return text;
            }
        }
        return null;
    }

    private boolean available(int bytes) {
        return length - pos >= bytes;
    }

    private int uint16() {
        int value = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
        pos += 2;
        return value;
    }

    private long uint32() {
        long value = (data[pos] & 0xFFL) | (data[pos + 1] & 0xFFL) << 8 | (data[pos + 2] & 0xFFL) << 16
                | (data[pos + 3] & 0xFFL) << 24;
        pos += 4;
        return value;
    }
}
