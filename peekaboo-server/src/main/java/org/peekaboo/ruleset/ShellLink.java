package org.peekaboo.ruleset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a Windows shortcut ({@code .lnk}, the Shell Link format [MS-SHLLINK]) runs: its target path
 * and its arguments, as far as they can be read from the first bytes. Only the parts that say
 * what runs are read; a shortcut too damaged to read still is a shortcut.
 *
 * @param target    the local base path or relative path, "" when there is none
 * @param arguments the command line arguments, "" when there are none
 */
record ShellLink(String target, String arguments) {
    /** HeaderSize 0x4C followed by the LinkCLSID 00021401-0000-0000-C000-000000000046. */
    private static final byte[] MAGIC = {0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, (byte) 0xC0, 0, 0, 0,
        0, 0, 0, 0x46};
    private static final int HEADER_SIZE = 0x4C;
    private static final int HAS_TARGET_ID_LIST = 0x1;
    private static final int HAS_LINK_INFO = 0x2;
    private static final int IS_UNICODE = 0x80;
    /** The StringData entries in file order: name, relative path, working directory, arguments, icon. */
    private static final int[] STRING_FLAGS = {0x4, 0x8, 0x10, 0x20, 0x40};
    private static final int LOCAL_BASE_PATH = 0x1;
    private static final int SHOWN = 240;

    static boolean hasMagic(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The target and arguments of the shortcut whose first bytes are {@code head}, if they can be read. */
    static Optional<ShellLink> read(byte[] head) {
        if (!hasMagic(head) || head.length < HEADER_SIZE) {
            return Optional.empty();
        }
        try {
            int flags = u32(head, 0x14);
            int at = HEADER_SIZE;
            if ((flags & HAS_TARGET_ID_LIST) != 0) {
                at += 2 + u16(head, at);
            }
            String basePath = "";
            if ((flags & HAS_LINK_INFO) != 0) {
                int size = u32(head, at);
                if ((u32(head, at + 8) & LOCAL_BASE_PATH) != 0) {
                    basePath = ansiz(head, at + u32(head, at + 0x10), at + size);
                }
                at += size;
            }
            List<String> strings = new ArrayList<>();
            boolean unicode = (flags & IS_UNICODE) != 0;
            for (int flag : STRING_FLAGS) {
                String value = "";
                if ((flags & flag) != 0) {
                    int chars = u16(head, at);
                    int bytes = unicode ? 2 * chars : chars;
                    check(head, at + 2, bytes);
                    value = new String(head, at + 2, bytes,
                            unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
                    at += 2 + bytes;
                }
                strings.add(value);
            }
            String target = basePath.isEmpty() ? strings.get(1) : basePath;
            return Optional.of(new ShellLink(shown(target), shown(strings.get(3))));
        } catch (IndexOutOfBoundsException e) {
            // A damaged or truncated shortcut: what it runs stays untold.
            return Optional.empty();
        }
    }

    private static String shown(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", " ").strip();
        return printable.length() <= SHOWN ? printable : printable.substring(0, SHOWN) + "…";
    }

    private static String ansiz(byte[] bytes, int from, int end) {
        check(bytes, from, 0);
        int stop = from;
        while (stop < Math.min(end, bytes.length) && bytes[stop] != 0) {
            stop++;
        }
        return new String(bytes, from, stop - from, StandardCharsets.ISO_8859_1);
    }

    private static void check(byte[] bytes, int from, int length) {
        if (from < 0 || length < 0 || from + length > bytes.length) {
            throw new IndexOutOfBoundsException(from + "+" + length + " of " + bytes.length);
        }
    }

    private static int u16(byte[] bytes, int at) {
        check(bytes, at, 2);
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8;
    }

    private static int u32(byte[] bytes, int at) {
        check(bytes, at, 4);
        return u16(bytes, at) | u16(bytes, at + 2) << 16;
    }
}
