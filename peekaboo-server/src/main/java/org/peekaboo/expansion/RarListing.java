package org.peekaboo.expansion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The names of the files in a RAR archive, read from its block headers (RAR 1.5–4.x and RAR 5.0,
 * as RARLAB's technical notes describe them). Peekaboo cannot decompress RAR: the only Java
 * decoder (junrar) carries the UnRAR licence, which is not open source. File names, however, are
 * stored in the clear unless the archive encrypts its headers, and they are what Windows acts on,
 * so a listing is enough to recognise an archive that carries a program, script or shortcut.
 * Only the headers are read; the packed data is skipped by seeking, so a huge archive costs as
 * many reads as it has files, at most {@value #MAX_ENTRIES}.
 */
public final class RarListing {
    static final int MAX_ENTRIES = 10_000;
    private static final byte[] RAR4_MAGIC = {'R', 'a', 'r', '!', 0x1A, 0x07, 0x00};
    private static final byte[] RAR5_MAGIC = {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00};
    /** Self-extracting archives put a program before the signature; RAR looks this far for it. */
    private static final int SFX_SEARCH = 1 << 20;
    /** RAR 5.0 limits a header to 2 MiB; RAR 4 cannot exceed 64 KiB. */
    private static final int MAX_HEADER = 2 * 1024 * 1024;

    /**
     * What the headers tell.
     *
     * @param version          4 or 5
     * @param names            the file and directory names, in archive order ('/' separated)
     * @param encryptedHeaders whether the headers are encrypted, so that no name can be read
     * @param complete         whether the headers were read to the end of the archive (false: truncated,
     *                         damaged, or more than {@value #MAX_ENTRIES} entries)
     */
    public record Listing(int version, List<String> names, boolean encryptedHeaders, boolean complete) {
        public Listing {
            names = List.copyOf(names);
        }
    }

    private RarListing() {
    }

    /** Whether {@code head} starts with a RAR signature (not looking for a self-extractor's). */
    public static boolean hasMagic(byte[] head) {
        return startsWith(head, 0, RAR4_MAGIC) || startsWith(head, 0, RAR5_MAGIC);
    }

    /** The listing of {@code file}, or empty when it holds no RAR signature within its first MiB. */
    public static Optional<Listing> read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] head = readAt(channel, 0, (int) Math.min(channel.size(), SFX_SEARCH + RAR5_MAGIC.length));
            for (int i = 0; i + RAR4_MAGIC.length <= head.length; i++) {
                if (startsWith(head, i, RAR5_MAGIC)) {
                    return Optional.of(new Rar5(channel).read(i + RAR5_MAGIC.length));
                }
                if (startsWith(head, i, RAR4_MAGIC)) {
                    return Optional.of(new Rar4(channel).read(i + RAR4_MAGIC.length));
                }
            }
            return Optional.empty();
        }
    }

    /** RAR 1.5–4.x: fixed-size little-endian block headers. */
    private record Rar4(FileChannel channel) {
        private static final int MAIN = 0x73;
        private static final int FILE = 0x74;
        private static final int END = 0x7B;
        private static final int LONG_BLOCK = 0x8000;
        private static final int MAIN_ENCRYPTED_HEADERS = 0x0080;
        private static final int FILE_LARGE = 0x0100;
        private static final int FILE_UNICODE = 0x0200;
        private static final int FILE_DIRECTORY = 0x00E0;

        Listing read(long position) throws IOException {
            List<String> names = new ArrayList<>();
            long size = channel.size();
            while (names.size() < MAX_ENTRIES && position + 7 <= size) {
                ByteBuffer base = ByteBuffer.wrap(readAt(channel, position, 7)).order(ByteOrder.LITTLE_ENDIAN);
                base.getShort();
                int type = base.get() & 0xFF;
                int flags = base.getShort() & 0xFFFF;
                int headerSize = base.getShort() & 0xFFFF;
                if (headerSize < 7 || position + headerSize > size) {
                    return new Listing(4, names, false, false);
                }
                ByteBuffer header = ByteBuffer.wrap(readAt(channel, position, headerSize)).order(ByteOrder.LITTLE_ENDIAN);
                long dataSize = ((flags & LONG_BLOCK) != 0 || type == FILE) && headerSize >= 11 ? header.getInt(7) & 0xFFFFFFFFL : 0;
                if (type == END) {
                    return new Listing(4, names, false, true);
                }
                if (type == MAIN && (flags & MAIN_ENCRYPTED_HEADERS) != 0) {
                    return new Listing(4, names, true, false);
                }
                if (type == FILE) {
                    if (headerSize < 32) {
                        return new Listing(4, names, false, false);
                    }
                    int nameSize = header.getShort(26) & 0xFFFF;
                    int nameAt = 32;
                    if ((flags & FILE_LARGE) != 0) {
                        dataSize |= (header.getInt(32) & 0xFFFFFFFFL) << 32;
                        nameAt += 8;
                    }
                    if (nameAt + nameSize > headerSize) {
                        return new Listing(4, names, false, false);
                    }
                    byte[] raw = Arrays.copyOfRange(header.array(), nameAt, nameAt + nameSize);
                    String name = name4(raw, (flags & FILE_UNICODE) != 0);
                    names.add((flags & FILE_DIRECTORY) == FILE_DIRECTORY ? name + "/" : name);
                }
                position += headerSize + dataSize;
            }
            return new Listing(4, names, false, false);
        }

        /**
         * A RAR 4 name: with the Unicode flag, the OEM name, a zero byte and the Unicode name in RAR's
         * own packing; the OEM name alone keeps every ASCII character and so the extension Windows
         * goes by. Without the flag, UTF-8 if it decodes (RAR on Unix), else the OEM code page.
         */
        private static String name4(byte[] raw, boolean unicode) {
            int end = raw.length;
            if (unicode) {
                for (int i = 0; i < raw.length; i++) {
                    if (raw[i] == 0) {
                        end = i;
                        break;
                    }
                }
            }
            return ZipNames.of(Arrays.copyOf(raw, end)).replace('\\', '/');
        }
    }

    /** RAR 5.0: variable-length integers, CRC-checked headers. */
    private record Rar5(FileChannel channel) {
        private static final int FILE = 2;
        private static final int ENCRYPTION = 4;
        private static final int END = 5;
        private static final int HAS_EXTRA = 0x0001;
        private static final int HAS_DATA = 0x0002;
        private static final int FILE_DIRECTORY = 0x0001;
        private static final int FILE_TIME = 0x0002;
        private static final int FILE_CRC = 0x0004;

        Listing read(long position) throws IOException {
            List<String> names = new ArrayList<>();
            long size = channel.size();
            while (names.size() < MAX_ENTRIES && position + 5 <= size) {
                // CRC32 (4 bytes), then the header size as a vint of at most 3 bytes (2 MiB).
                Cursor sizeField = new Cursor(readAt(channel, position + 4, (int) Math.min(3, size - position - 4)));
                long headerSize = sizeField.vint();
                if (headerSize <= 0 || headerSize > MAX_HEADER || sizeField.failed()) {
                    return new Listing(5, names, false, false);
                }
                long headerStart = position + 4 + sizeField.position();
                if (headerStart + headerSize > size) {
                    return new Listing(5, names, false, false);
                }
                Cursor header = new Cursor(readAt(channel, headerStart, (int) headerSize));
                long type = header.vint();
                long flags = header.vint();
                if ((flags & HAS_EXTRA) != 0) {
                    header.vint();
                }
                long dataSize = (flags & HAS_DATA) != 0 ? header.vint() : 0;
                if (type == END) {
                    return new Listing(5, names, false, !header.failed());
                }
                if (type == ENCRYPTION) {
                    return new Listing(5, names, true, false);
                }
                if (type == FILE) {
                    long fileFlags = header.vint();
                    header.vint(); // unpacked size
                    header.vint(); // attributes
                    header.skip((fileFlags & FILE_TIME) != 0 ? 4 : 0);
                    header.skip((fileFlags & FILE_CRC) != 0 ? 4 : 0);
                    header.vint(); // compression
                    header.vint(); // host OS
                    long nameLength = header.vint();
                    byte[] name = header.bytes(nameLength);
                    if (header.failed() || dataSize < 0) {
                        return new Listing(5, names, false, false);
                    }
                    String text = new String(name, StandardCharsets.UTF_8).replace('\\', '/');
                    names.add((fileFlags & FILE_DIRECTORY) != 0 ? text + "/" : text);
                } else if (header.failed() || dataSize < 0) {
                    return new Listing(5, names, false, false);
                }
                position = headerStart + headerSize + dataSize;
                if (position < 0) {
                    return new Listing(5, names, false, false);
                }
            }
            return new Listing(5, names, false, false);
        }
    }

    /** Reads RAR 5's fields from one header, remembering when one ran past its end. */
    private static final class Cursor {
        private final byte[] data;
        private int position;
        private boolean failed;

        Cursor(byte[] data) {
            this.data = data;
        }

        /** A little-endian base-128 integer of at most ten bytes; -1 and failed when malformed. */
        long vint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= data.length) {
                    failed = true;
                    return -1;
                }
                int b = data[position++] & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            failed = true;
            return -1;
        }

        void skip(int n) {
            position += n;
            failed |= position > data.length;
        }

        byte[] bytes(long n) {
            if (n < 0 || n > data.length - position) {
                failed = true;
                return new byte[0];
            }
            byte[] copy = Arrays.copyOfRange(data, position, position + (int) n);
            position += (int) n;
            return copy;
        }

        int position() {
            return position;
        }

        boolean failed() {
            return failed;
        }
    }

    private static byte[] readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(0, length));
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        return data.length - offset >= prefix.length
                && Arrays.equals(data, offset, offset + prefix.length, prefix, 0, prefix.length);
    }
}
