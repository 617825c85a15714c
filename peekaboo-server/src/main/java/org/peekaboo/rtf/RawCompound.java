package org.peekaboo.rtf;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the raw bytes of an OLE2 compound file POI cannot open still tell: exploit documents
 * corrupt the compound file on purpose (Word's loader is lenient), but its directory keeps the
 * CLSIDs and the stream names (UTF-16LE) in the clear.
 */
public final class RawCompound {
    private RawCompound() {
    }

    /** Whether {@code data} holds the CLSID {@code clsid} ("0002CE02-0000-0000-C000-000000000046") as stored. */
    public static boolean holdsClsid(byte[] data, String clsid) {
        return indexOf(data, storedClsid(clsid)) >= 0;
    }

    /** Whether {@code data} holds the directory entry name {@code name} (UTF-16LE, as stored), ignoring case. */
    public static boolean holdsName(byte[] data, String name) {
        return indexOf(data, name.getBytes(StandardCharsets.UTF_16LE)) >= 0
                || indexOf(data, name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE)) >= 0
                || indexOf(data, name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_16LE)) >= 0;
    }

    /** A CLSID's 16 bytes: the first three fields little-endian, the rest as written. */
    static byte[] storedClsid(String clsid) {
        String hex = clsid.replace("-", "");
        byte[] bytes = new byte[16];
        int[] order = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
        for (int i = 0; i < 16; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(order[i] * 2, order[i] * 2 + 2), 16);
        }
        return bytes;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            if (data[i] != pattern[0]) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
