package org.peekaboo.expansion.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * RAR archives written by the book (RARLAB's technical notes), members stored uncompressed: the
 * listing reads headers only, so what matters is that headers, sizes and CRCs are right. Tests and
 * the detection corpus use them; libarchive's bsdtar lists and extracts them as RAR does.
 */
public final class RarFiles {
    private RarFiles() {
    }

    /** A RAR 5.0 archive of {@code namesAndContents} (name, content, name, content, …; a name ending in '/' is a directory). */
    public static byte[] rar5(String... namesAndContents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00});
        // main archive header: type 1, no flags, archive flags 0
        block5(out, concat(vint(1), vint(0), vint(0)), new byte[0]);
        for (int i = 0; i < namesAndContents.length; i += 2) {
            String name = namesAndContents[i];
            boolean directory = name.endsWith("/");
            String stored = directory ? name.substring(0, name.length() - 1) : name;
            byte[] data = namesAndContents[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            byte[] nameBytes = stored.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(data);
            // RAR writes the data size for directories too (0); libarchive refuses a file header without one.
            byte[] header = concat(vint(2), vint(0x0002), vint(data.length),
                    vint(directory ? 0x0001 : 0x0004), vint(data.length), vint(directory ? 0x10 : 0x20),
                    directory ? new byte[0] : le32((int) crc.getValue()), vint(0), vint(0), vint(nameBytes.length),
                    nameBytes);
            block5(out, header, directory ? new byte[0] : data);
        }
        block5(out, concat(vint(5), vint(0), vint(0)), new byte[0]);
        return out.toByteArray();
    }

    /** A RAR 5.0 archive whose headers are encrypted: only the encryption header can be read. */
    public static byte[] rar5EncryptedHeaders() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x01, 0x00});
        // type 4, no flags, version 0, flags 0, KDF count 15, salt (16 bytes)
        block5(out, concat(vint(4), vint(0), vint(0), vint(0), new byte[] {15}, new byte[16]), new byte[0]);
        out.writeBytes(new byte[64]);
        return out.toByteArray();
    }

    /** A RAR 4 archive of {@code namesAndContents}, stored, OEM (ASCII) names. */
    public static byte[] rar4(String... namesAndContents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'R', 'a', 'r', '!', 0x1A, 0x07, 0x00});
        ByteBuffer main = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
        main.putShort((short) 0).put((byte) 0x73).putShort((short) 0).putShort((short) 13).putShort((short) 0)
                .putInt(0);
        out.writeBytes(block4(main.array()));
        for (int i = 0; i < namesAndContents.length; i += 2) {
            byte[] name = namesAndContents[i].replace('/', '\\').getBytes(StandardCharsets.ISO_8859_1);
            byte[] data = namesAndContents[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(data);
            int size = 32 + name.length;
            ByteBuffer file = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            file.putShort((short) 0).put((byte) 0x74).putShort((short) 0x8000).putShort((short) size)
                    .putInt(data.length).putInt(data.length).put((byte) 2).putInt((int) crc.getValue())
                    .putInt(0x5A210000).put((byte) 20).put((byte) 0x30).putShort((short) name.length).putInt(0x20)
                    .put(name);
            out.writeBytes(block4(file.array()));
            out.writeBytes(data);
        }
        ByteBuffer end = ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN);
        end.putShort((short) 0).put((byte) 0x7B).putShort((short) 0x4000).putShort((short) 7);
        out.writeBytes(block4(end.array()));
        return out.toByteArray();
    }

    private static void block5(ByteArrayOutputStream out, byte[] header, byte[] data) {
        byte[] sized = concat(vint(header.length), header);
        CRC32 crc = new CRC32();
        crc.update(sized);
        out.writeBytes(le32((int) crc.getValue()));
        out.writeBytes(sized);
        out.writeBytes(data);
    }

    /** The header with its CRC: the low 16 bits of the CRC32 of everything after the CRC field. */
    private static byte[] block4(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header, 2, header.length - 2);
        int value = (int) crc.getValue();
        header[0] = (byte) value;
        header[1] = (byte) (value >>> 8);
        return header;
    }

    private static byte[] vint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
        return out.toByteArray();
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
