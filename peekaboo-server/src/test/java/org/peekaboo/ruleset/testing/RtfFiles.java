package org.peekaboo.ruleset.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.poi.hpsf.ClassID;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * RTF documents with OLE objects, written the way Word writes them (an {@code \object} group
 * with {@code \objclass}, the OLE1 object in {@code \objdata} as hex, a picture as its result),
 * and the objects themselves: OLE1 headers, OLE Packager data, OLE2 compound files built with POI.
 * Harmless: the "programs" are an MZ header and zeros, the equations junk bytes, the links name
 * example.invalid.
 */
public final class RtfFiles {
    public static final String EQUATION_CLSID = "{0002CE02-0000-0000-C000-000000000046}";
    public static final String OLE2LINK_CLSID = "{00000300-0000-0000-C000-000000000046}";
    public static final String EXCEL_CLSID = "{00020820-0000-0000-C000-000000000046}";
    public static final String WORD_CLSID = "{00020906-0000-0000-C000-000000000046}";
    public static final String WORD12_CLSID = "{F4754C9B-64F5-4B40-8AF4-679732AC0607}";
    private static final String HEAD = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Calibri;}}"
            + "{\\colortbl;\\red0\\green0\\blue0;}\\viewkind4\\pard\\f0\\fs22 ";

    private RtfFiles() {
    }

    /** A document with some text, then {@code body} (objects, tables, pictures). */
    public static byte[] rtf(String... body) {
        return (HEAD + "Dear customer, please find the invoice below.\\par\n" + String.join("\n", body)
                + "\\par\n}").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An {@code \object} group as Word writes it: kind words, class, hex data in lines, a picture result. */
    public static String object(String words, String objClass, byte[] data) {
        return "{\\object" + words + "\\objw2400\\objh1200{\\*\\objclass " + objClass + "}{\\*\\objdata\n"
                + lines(hex(data)) + "}{\\result{\\pict\\wmetafile8\\picw100\\pich100 010009000003}}}";
    }

    /** An embedded object ({@code \objemb}). */
    public static String embedded(String objClass, byte[] nativeData) {
        return object("\\objemb", objClass, ole1Embedded(objClass, nativeData));
    }

    /** A table of two cells. */
    public static String table() {
        return "\\trowd\\cellx3000\\cellx6000\\pard\\intbl Item\\cell Price\\cell\\row"
                + "\\trowd\\cellx3000\\cellx6000\\pard\\intbl Paper\\cell 12,00\\cell\\row\\pard";
    }

    /** A PNG picture (its signature and a few bytes, enough for a reader of RTF structure). */
    public static String picture() {
        return "{\\pict\\pngblip\\picw64\\pich64\\picwgoal960\\pichgoal960\n89504e470d0a1a0a0000000d49484452"
                + "00000040000000400806000000aa6971de\n0000000049454e44ae426082}";
    }

    /** OLE1 ObjectHeader of an embedded object (version 0x0501, FormatID 2) with its native data. */
    public static byte[] ole1Embedded(String className, byte[] nativeData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 0x0501);
        writeInt(out, 2);
        writeString(out, className);
        writeInt(out, 0);
        writeInt(out, 0);
        writeInt(out, nativeData.length);
        out.writeBytes(nativeData);
        return out.toByteArray();
    }

    /** OLE1 header whose class name length is {@code declared} bytes, followed by that many 'A's. */
    public static byte[] ole1WithLongClassName(int declared) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 0x0501);
        writeInt(out, 2);
        writeInt(out, declared);
        out.writeBytes("A".repeat(declared).getBytes(StandardCharsets.US_ASCII));
        writeInt(out, 0);
        writeInt(out, 0);
        writeInt(out, 4);
        out.writeBytes(new byte[4]);
        return out.toByteArray();
    }

    /** OLE1 header of a linked object (FormatID 1): class, topic (the file or URL), item. */
    public static byte[] ole1Linked(String className, String topic, String item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 0x0501);
        writeInt(out, 1);
        writeString(out, className);
        writeString(out, topic);
        writeString(out, item);
        writeInt(out, 0);
        writeInt(out, 0);
        writeInt(out, 0);
        return out.toByteArray();
    }

    /** OLE Packager native data of a {@code Package} object carrying {@code data} as {@code name}. */
    public static byte[] packagerData(String name, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        out.write(0);
        out.writeBytes((name + "\0").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(("C:\\Users\\user\\Desktop\\" + name + "\0").getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.write(0);
        out.write(3);
        out.write(0);
        writeString(out, "C:\\Users\\user\\AppData\\Local\\Temp\\" + name);
        writeInt(out, data.length);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** An Equation Editor 3.0 object: its CLSID, a CompObj naming it and an "Equation Native" stream of junk. */
    public static byte[] equationOle2() {
        byte[] junk = new byte[600];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 7 + 3);
        }
        return compound(EQUATION_CLSID, Map.of("\u0001CompObj", compObj("Microsoft Equation 3.0"),
                "Equation Native", junk));
    }

    /** An OLE2Link object whose URL moniker names {@code url}, as CVE-2017-0199 documents carry it. */
    public static byte[] ole2Link(String url) {
        return compound(OLE2LINK_CLSID, Map.of("\u0001Ole", oleStream(url), "\u0001CompObj", compObj("OLE2Link")));
    }

    /** An {@code \x01Ole} stream whose moniker is the URL moniker of {@code url}. */
    public static byte[] oleStream(String url) {
        ByteArrayOutputStream ole = new ByteArrayOutputStream();
        writeInt(ole, 0x02000001);
        writeInt(ole, 0x09);
        writeInt(ole, 0);
        // The URL moniker's CLSID, then its length and the URL in UTF-16LE.
        ole.writeBytes(new byte[] {(byte) 0xE0, (byte) 0xC9, (byte) 0xEA, 0x79, (byte) 0xF9, (byte) 0xBA, (byte) 0xCE,
            0x11, (byte) 0x8C, (byte) 0x82, 0x00, (byte) 0xAA, 0x00, 0x4B, (byte) 0xA9, 0x0B});
        byte[] text = (url + "\0").getBytes(StandardCharsets.UTF_16LE);
        writeInt(ole, text.length);
        ole.writeBytes(text);
        return ole.toByteArray();
    }

    /** An OLE2 compound file with the root CLSID {@code clsid} (null: none) and the given streams. */
    public static byte[] compound(String clsid, Map<String, byte[]> streams) {
        try (POIFSFileSystem fs = new POIFSFileSystem(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (clsid != null) {
                fs.getRoot().setStorageClsid(new ClassID(clsid));
            }
            for (Map.Entry<String, byte[]> stream : streams.entrySet()) {
                fs.createDocument(new ByteArrayInputStream(stream.getValue()), stream.getKey());
            }
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CompObj stream naming the user type. */
    public static byte[] compObj(String userType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 0xFFFE0001);
        writeInt(out, 0x00000A03);
        out.writeBytes(new byte[20]);
        writeString(out, userType);
        writeInt(out, 0);
        writeInt(out, 0x71B239F4);
        return out.toByteArray();
    }

    public static String hex(byte[] data) {
        StringBuilder hex = new StringBuilder(data.length * 2);
        for (byte b : data) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** Hex in lines of 128 digits, as Word writes it. */
    public static String lines(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 128) {
            out.append(hex, i, Math.min(hex.length(), i + 128)).append("\r\n");
        }
        return out.toString();
    }

    /**
     * The hex broken up the way droppers hide it from scanners: spaces, line breaks, control
     * words and ignorable groups between digits, and an odd digit at the end.
     */
    public static String obfuscated(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i++) {
            out.append(hex.charAt(i));
            switch (i % 11) {
                case 2 -> out.append(' ');
                case 4 -> out.append("\r\n\t");
                case 6 -> out.append("\\dummy123 ");
                case 8 -> out.append("{\\*\\foo 4142}");
                case 9 -> out.append("\\'41");
                default -> { }
            }
        }
        return out.append('7').toString();
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }
}
