package org.peekaboo.expansion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the embedded files of a OneNote section lie ([MS-ONESTORE] 2.6.13 FileDataStoreObject) and
 * which names it declares for them. The revision store is not parsed: the objects are found by their
 * header and footer GUIDs, which is how every known dropper analysis finds them, and a length that
 * the footer does not confirm stops the reading as corrupt, so no length is ever trusted blindly.
 * Immutable once found.
 *
 * @param blobs   the embedded files, in file order
 * @param names   the file names declared outside the file data, in file order (best effort)
 * @param problem what stopped the scan (truncated, corrupt), or null
 */
record OneNoteLayout(List<Blob> blobs, List<String> names, String problem) {

    /** One FileDataStoreObject's data: {@code length} bytes from {@code start}, whose first bytes are {@code head}. */
    record Blob(long start, long length, byte[] head) {
        /** Pictures (the "double click to view" image of droppers) are stored like embedded files but have no file name. */
        boolean picture() {
            return startsWith(head, 0x89, 'P', 'N', 'G') || startsWith(head, 0xFF, 0xD8, 0xFF)
                    || startsWith(head, 'G', 'I', 'F', '8') || startsWith(head, 'B', 'M')
                    || startsWith(head, 0xD7, 0xCD, 0xC6, 0x9A) || startsWith(head, 1, 0, 0, 0)
                    || startsWith(head, 'I', 'I', '*', 0) || startsWith(head, 'M', 'M', 0, '*');
        }
    }

    /** {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC} as stored: the first three fields little-endian. */
    static final byte[] HEADER = guid("BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC");
    /** {71FBA722-0F79-4A0B-BB13-899256426B24}, the object's footer. */
    static final byte[] FOOTER = guid("71FBA722-0F79-4A0B-BB13-899256426B24");
    /** guidHeader, cbLength (8), unused (4), reserved (8). */
    static final int HEADER_SIZE = 16 + 8 + 4 + 8;
    private static final int WINDOW = 64 * 1024;
    /** A name's length prefix plus the longest name Windows allows, in UTF-16. */
    private static final int NAME_REACH = 4 + 2 * 260;
    private static final int MAX_NAMES = 10_000;
    private static final Pattern FILE_NAME = Pattern.compile("[^\\\\/:*?\"<>|\\p{Cntrl}]{1,200}\\.[A-Za-z][A-Za-z0-9]{0,7}");
    private static final Set<String> PICTURE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "emf", "wmf", "tif",
            "tiff");

    /**
     * Scans the file; {@code budget} is asked for the time between windows. The scan stops after one
     * blob more than the budget still allows members (that one makes the reader report the limit), so
     * that a file of millions of tiny objects takes no more memory than the limit allows.
     */
    static OneNoteLayout of(FileChannel file, ExpansionBudget budget) throws IOException {
        long maxBlobs = Math.max(0, budget.settings().maxMembers() - budget.members()) + 1L;
        List<Blob> blobs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long size = file.size();
        long from = 0;
        String problem = null;
        while (from < size && blobs.size() < maxBlobs) {
            long at = find(file, from, size, budget);
            long end = at < 0 ? size : at;
            collectNames(file, from, end, names, budget);
            if (at < 0) {
                break;
            }
            ByteBuffer header = read(file, at, HEADER_SIZE);
            if (header.remaining() < HEADER_SIZE) {
                problem = "truncated in the header of an embedded file at offset " + at;
                break;
            }
            long length = header.order(ByteOrder.LITTLE_ENDIAN).getLong(16);
            long start = at + HEADER_SIZE;
            // Unsigned comparison: a forged cbLength of 2^63 or more is negative as a long.
            if (Long.compareUnsigned(length, size - start) > 0) {
                problem = "truncated: an embedded file at offset " + at + " declares " + Long.toUnsignedString(length)
                        + " bytes, " + (size - start) + " remain";
                break;
            }
            long padded = (length + 7) & ~7L;
            long footer = footerAt(file, start + padded, size) ? start + padded
                    : footerAt(file, start + length, size) ? start + length : -1;
            if (footer < 0) {
                problem = "corrupt: the embedded file at offset " + at + " has no footer after its " + length + " bytes";
                break;
            }
            ByteBuffer head = read(file, start, (int) Math.min(8, length));
            byte[] headBytes = new byte[head.remaining()];
            head.get(headBytes);
            blobs.add(new Blob(start, length, headBytes));
            from = footer + FOOTER.length;
        }
        // More candidate names than that are text, not the names of this file's few embedded files.
        return new OneNoteLayout(List.copyOf(blobs), names.size() > MAX_NAMES ? List.of() : List.copyOf(names), problem);
    }

    /**
     * The names to give the blobs, index by index (null: none). Names are paired with the blobs that
     * are not pictures, in order, only when there are exactly as many of each, counting every name or
     * else each name once (a page that embeds the same file five times may store its data once): the
     * revision store links them by object references this scan does not follow, and a wrong name is
     * worse than none.
     */
    List<String> pairedNames() {
        List<String> fileNames = names.stream()
                .filter(name -> !PICTURE_EXTENSIONS.contains(extension(name))).toList();
        long files = blobs.stream().filter(blob -> !blob.picture()).count();
        if (fileNames.size() != files) {
            fileNames = fileNames.stream().distinct().toList();
        }
        boolean pair = fileNames.size() == files;
        List<String> paired = new ArrayList<>();
        int next = 0;
        for (Blob blob : blobs) {
            paired.add(pair && !blob.picture() ? fileNames.get(next++) : null);
        }
        return paired;
    }

    private static long find(FileChannel file, long from, long size, ExpansionBudget budget) throws IOException {
        for (long window = from; window < size; window += WINDOW) {
            budget.checkTime();
            ByteBuffer bytes = read(file, window, WINDOW + HEADER.length - 1);
            for (int i = 0; i + HEADER.length <= bytes.limit() && i < WINDOW; i++) {
                if (matches(bytes, i, HEADER)) {
                    return window + i;
                }
            }
        }
        return -1;
    }

    /** Length-prefixed UTF-16LE strings that look like file names: how [MS-ONE] stores EmbeddedFileName. */
    private static void collectNames(FileChannel file, long from, long to, List<String> names, ExpansionBudget budget)
            throws IOException {
        long resume = from;
        for (long window = from; window < to && names.size() <= MAX_NAMES; window += WINDOW) {
            budget.checkTime();
            ByteBuffer bytes = read(file, window, (int) Math.min(WINDOW + NAME_REACH, to - window))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int last = (int) Math.min(WINDOW, to - window);
            // A name found near the end of the last window reaches into this one: its bytes are no names.
            for (int i = (int) Math.max(0, resume - window); i + 4 <= bytes.limit() && i < last; i++) {
                int length = bytes.getInt(i);
                if (length < 6 || length > NAME_REACH - 4 || (length & 1) != 0 || i + 4 + length > bytes.limit()) {
                    continue;
                }
                String text = new String(bytes.array(), i + 4, length, StandardCharsets.UTF_16LE);
                // Tolerate a terminating NUL, which some writers may count in the length.
                text = text.endsWith("\0") ? text.substring(0, text.length() - 1) : text;
                if (FILE_NAME.matcher(text).matches() && text.strip().equals(text)) {
                    names.add(text);
                    i += 3 + length;
                    resume = window + i + 1;
                }
            }
        }
    }

    private static boolean footerAt(FileChannel file, long at, long size) throws IOException {
        if (at < 0 || at + FOOTER.length > size) {
            return false;
        }
        ByteBuffer bytes = read(file, at, FOOTER.length);
        return bytes.remaining() == FOOTER.length && matches(bytes, 0, FOOTER);
    }

    private static ByteBuffer read(FileChannel file, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long position = at;
        while (buffer.hasRemaining()) {
            int read = file.read(buffer, position);
            if (read < 0) {
                break;
            }
            position += read;
        }
        return buffer.flip();
    }

    private static boolean matches(ByteBuffer bytes, int at, byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            if (bytes.get(at + i) != pattern[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String name) {
        return name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    /** A GUID's bytes as Windows stores it: Data1, Data2 and Data3 little-endian, Data4 as written. */
    static byte[] guid(String text) {
        String hex = text.replace("-", "");
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt((int) Long.parseLong(hex.substring(0, 8), 16));
        bytes.putShort((short) Integer.parseInt(hex.substring(8, 12), 16));
        bytes.putShort((short) Integer.parseInt(hex.substring(12, 16), 16));
        for (int i = 16; i < 32; i += 2) {
            bytes.put((byte) Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return bytes.array();
    }
}
