package org.peekaboo.office.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hssf.usermodel.HSSFName;
import org.apache.poi.hssf.usermodel.HSSFSheet;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Office documents built byte by byte for the tests, after the published formats (MS-OVBA for
 * VBA projects, MS-XLS for workbook records, ECMA-376 for OOXML packages). They hold only what
 * Office's readers look at for macros, which is also all that Peekaboo looks at; no document
 * text. VBA source is stored with literal-only compression, which every reader must accept.
 */
public final class OfficeFiles {
    private static final String WORD_CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="xml" ContentType="application/xml"/>
            <Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>
            <Override PartName="/word/document.xml"
             ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>
            </Types>
            """;
    private static final String WORD_DOCUMENT = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:body><w:p><w:r><w:t>Invoice</w:t></w:r></w:p></w:body></w:document>
            """;

    private OfficeFiles() {
    }

    /** One VBA module: its name and source lines. */
    public static Map<String, String> module(String name, String... lines) {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put(name, "Attribute VB_Name = \"" + name + "\"\r\n" + String.join("\r\n", lines) + "\r\n");
        return modules;
    }

    /** A Word 97-2003 document (OLE2) with the given VBA modules, none if empty. */
    public static byte[] doc(Map<String, String> modules) {
        return ole2(fs -> {
            fs.createDocument(new ByteArrayInputStream(new byte[512]), "WordDocument");
            if (!modules.isEmpty()) {
                DirectoryEntry macros = fs.createDirectory("Macros");
                writeVbaProject(macros, modules, compressedModules(modules));
            }
        });
    }

    /**
     * An Excel 97-2003 workbook (OLE2) with the given VBA modules, optionally an Excel 4 macro
     * sheet, optionally a cell named Auto_Open (a built-in name, as Excel stores it).
     */
    public static byte[] xls(Map<String, String> modules, boolean macroSheet, boolean autoOpenName) {
        return ole2(fs -> {
            fs.createDocument(new ByteArrayInputStream(workbookGlobals(macroSheet, autoOpenName)), "Workbook");
            if (!modules.isEmpty()) {
                DirectoryEntry project = fs.createDirectory("_VBA_PROJECT_CUR");
                writeVbaProject(project, modules, compressedModules(modules));
            }
        });
    }

    /** A Word document whose one module stream decompresses to {@code chunks} × 4096 bytes. */
    public static byte[] docWithDecompressionBomb(int chunks) {
        Map<String, String> modules = module("ThisDocument", "Sub AutoOpen()", "End Sub");
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(0x01);
        for (int i = 0; i < chunks; i++) {
            // flags 0b10: one literal 'A', then a copy token repeating it 4095 times (offset 1)
            bomb.writeBytes(new byte[] {0x03, (byte) 0xB0, 0x02, 'A', (byte) 0xFC, 0x0F});
        }
        Map<String, byte[]> streams = Map.of("ThisDocument", bomb.toByteArray());
        return ole2(fs -> {
            fs.createDocument(new ByteArrayInputStream(new byte[512]), "WordDocument");
            writeVbaProject(fs.createDirectory("Macros"), modules, streams);
        });
    }

    /** An OLE2 file whose storages nest {@code depth} levels deep, with no macros anywhere. */
    public static byte[] nestedStorages(int depth) {
        return ole2(fs -> {
            DirectoryEntry dir = fs.getRoot();
            for (int i = 0; i < depth; i++) {
                dir = dir.createDirectory("S" + i);
            }
            dir.createDocument("Leaf", new ByteArrayInputStream(new byte[64]));
        });
    }

    /** An encrypted OOXML document as Office writes it: an OLE2 file with the encrypted package. */
    public static byte[] encryptedOoxml() {
        return ole2(fs -> {
            fs.createDocument(new ByteArrayInputStream(new byte[64]), "EncryptionInfo");
            fs.createDocument(new ByteArrayInputStream(new byte[4096]), "EncryptedPackage");
        });
    }

    /** A macro-enabled Word document (.docm) with the given modules in word/vbaProject.bin. */
    public static byte[] docm(Map<String, String> modules) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8(WORD_CONTENT_TYPES));
        parts.put("word/document.xml", utf8(WORD_DOCUMENT));
        parts.put("word/vbaProject.bin", vbaProjectBin(modules));
        return zip(parts);
    }

    /** A macro-enabled Excel workbook (.xlsm) with the given modules in xl/vbaProject.bin. */
    public static byte[] xlsm(Map<String, String> modules) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="xml" ContentType="application/xml"/>
                <Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>
                <Override PartName="/xl/workbook.xml"
                 ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>
                </Types>
                """));
        parts.put("xl/workbook.xml", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                <sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>
                """));
        parts.put("xl/vbaProject.bin", vbaProjectBin(modules));
        return zip(parts);
    }

    /** A plain .docx: no VBA project. */
    public static byte[] docx() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8(WORD_CONTENT_TYPES.replace("macroEnabled.main", "document.main")));
        parts.put("word/document.xml", utf8(WORD_DOCUMENT));
        return zip(parts);
    }

    /**
     * A macro-enabled workbook (.xlsm) with an Excel 4 macro sheet and a cell named Auto_Open,
     * no VBA. The macro sheet's part name is deliberately off the usual folder: Excel goes by
     * its declared content type.
     */
    public static byte[] xlsmWithXlmMacroSheet() {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml"
                 ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>
                <Override PartName="/xl/sheets/data2.xml"
                 ContentType="application/vnd.ms-excel.macrosheet+xml"/>
                </Types>
                """));
        parts.put("xl/workbook.xml", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                <sheets><sheet name="Macro1" sheetId="1"/></sheets>
                <definedNames><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName></definedNames>
                </workbook>
                """));
        parts.put("xl/sheets/data2.xml", utf8("<xm:macrosheet xmlns:xm=\"x\"/>"));
        return zip(parts);
    }

    /** A .docm whose vbaProject.bin inflates to {@code bytes} zero bytes. */
    public static byte[] docmZipBomb(int bytes) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8(WORD_CONTENT_TYPES));
        byte[] bomb = new byte[bytes];
        // Starts like an OLE2 file, so that it is inflated in full as a VBA project would be.
        System.arraycopy(vbaProjectBin(module("Module1", "Sub X()", "End Sub")), 0, bomb, 0, 8);
        parts.put("word/vbaProject.bin", bomb);
        return zip(parts);
    }

    /**
     * A macro-enabled workbook (.xlsm) whose Excel 4 macro sheet, at its usual part name, holds
     * {@code formulas} in column A from A1 (without the leading '='), and a cell named Auto_Open
     * pointing at A1, so Excel would run them on opening. No VBA.
     */
    public static byte[] xlsmWithXlmFormulas(String... formulas) {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < formulas.length; i++) {
            rows.append("<row r=\"").append(i + 1).append("\"><c r=\"A").append(i + 1).append("\"><f>")
                    .append(formulas[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                            .replace("\"", "&quot;"))
                    .append("</f></c></row>");
        }
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml"
                 ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>
                <Override PartName="/xl/macrosheets/sheet1.xml"
                 ContentType="application/vnd.ms-excel.macrosheet+xml"/>
                </Types>
                """));
        parts.put("xl/workbook.xml", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
                 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets><sheet name="Macro1" sheetId="1" r:id="rId1"/></sheets>
                <definedNames><definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName></definedNames>
                </workbook>
                """));
        parts.put("xl/_rels/workbook.xml.rels", utf8("""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Target="macrosheets/sheet1.xml"
                 Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"/>
                </Relationships>
                """));
        parts.put("xl/macrosheets/sheet1.xml", utf8(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                        + "<xm:macrosheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
                        + " xmlns:xm=\"http://schemas.microsoft.com/office/excel/2006/main\"><sheetData>"
                        + rows + "</sheetData></xm:macrosheet>\n"));
        return zip(parts);
    }

    /**
     * An Excel 97-2003 workbook (BIFF8 in OLE2) whose sheet "Macro1" is an Excel 4 macro sheet
     * holding {@code formulas} in column A from A1 (without the leading '=', as Apache POI parses
     * them: EXEC, REGISTER, FWRITELN, … but not CALL or FORMULA with all their arguments), and a
     * name Auto_Open pointing at A1. POI writes worksheets only; the sheet type in its BOUNDSHEET
     * record is then changed to "macro sheet", which is all Excel goes by.
     */
    public static byte[] xlsWithXlmFormulas(String... formulas) {
        try (HSSFWorkbook workbook = new HSSFWorkbook()) {
            HSSFSheet sheet = workbook.createSheet("Macro1");
            for (int i = 0; i < formulas.length; i++) {
                sheet.createRow(i).createCell(0).setCellFormula(formulas[i]);
            }
            HSSFName autoOpen = workbook.createName();
            autoOpen.setNameName("Auto_Open");
            autoOpen.setRefersToFormula("Macro1!$A$1");
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            workbook.write(written);
            try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(written.toByteArray()))) {
                byte[] stream;
                try (InputStream in = fs.createDocumentInputStream("Workbook")) {
                    stream = in.readAllBytes();
                }
                for (int at = 0; at + 4 <= stream.length; at += 4 + (stream[at + 2] & 0xFF | (stream[at + 3] & 0xFF) << 8)) {
                    if ((stream[at] & 0xFF) == 0x85 && stream[at + 1] == 0) {
                        stream[at + 4 + 5] = 0x01;   // BOUNDSHEET dt: macro sheet
                    }
                }
                fs.createOrUpdateDocument(new ByteArrayInputStream(stream), "Workbook");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                fs.writeFilesystem(out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code ooxml} (a .docm, .xlsm, … package) encrypted with {@code password} as Office does,
     * in an OLE2 file with EncryptionInfo and EncryptedPackage ({@code mode} agile or standard).
     */
    public static byte[] encryptedOoxml(byte[] ooxml, String password, EncryptionMode mode) {
        return ole2(fs -> {
            Encryptor encryptor = new EncryptionInfo(mode).getEncryptor();
            encryptor.confirmPassword(password);
            try (OutputStream out = encryptor.getDataStream(fs)) {
                out.write(ooxml);
            } catch (GeneralSecurityException e) {
                throw new IOException(e);
            }
        });
    }

    /**
     * Like {@link #xlsWithXlmFormulas(String...)}, with the Workbook stream encrypted with
     * {@code password} (RC4 CryptoAPI, as Excel writes). The record headers and a sheet's stream
     * position stay in the clear and RC4 is a stream cipher: flipping the ciphertext bit of the
     * BOUNDSHEET's sheet type makes it a macro sheet as in the plain writer.
     */
    public static byte[] encryptedXlsWithXlmFormulas(String password, String... formulas) {
        try (HSSFWorkbook workbook = new HSSFWorkbook()) {
            HSSFSheet sheet = workbook.createSheet("Macro1");
            for (int i = 0; i < formulas.length; i++) {
                sheet.createRow(i).createCell(0).setCellFormula(formulas[i]);
            }
            HSSFName autoOpen = workbook.createName();
            autoOpen.setNameName("Auto_Open");
            autoOpen.setRefersToFormula("Macro1!$A$1");
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            // A thread-local in POI: set for this write only.
            Biff8EncryptionKey.setCurrentUserPassword(password);
            try {
                workbook.write(written);
            } finally {
                Biff8EncryptionKey.setCurrentUserPassword(null);
            }
            try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(written.toByteArray()))) {
                byte[] stream;
                try (InputStream in = fs.createDocumentInputStream("Workbook")) {
                    stream = in.readAllBytes();
                }
                for (int at = 0; at + 4 <= stream.length; at += 4 + (stream[at + 2] & 0xFF | (stream[at + 3] & 0xFF) << 8)) {
                    if ((stream[at] & 0xFF) == 0x85 && stream[at + 1] == 0) {
                        stream[at + 4 + 5] ^= 0x01;   // BOUNDSHEET dt: worksheet (0) becomes macro sheet (1)
                    }
                }
                fs.createOrUpdateDocument(new ByteArrayInputStream(stream), "Workbook");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                fs.writeFilesystem(out);
                return out.toByteArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A SYLK file (Excel 4 macro sheet as text) with an Auto_Open name and {@code formulas} in column A. */
    public static byte[] sylkWithXlmFormulas(String... formulas) {
        StringBuilder text = new StringBuilder("ID;P\r\nO;E\r\nNN;NAuto_Open;ER1C1\r\n");
        for (int i = 0; i < formulas.length; i++) {
            text.append("C;X1;Y").append(i + 1).append(";E").append(formulas[i].replace(";", ";;")).append("\r\n");
        }
        return ascii(text.append("E\r\n").toString());
    }

    /** A zip archive with the given entries (names to contents). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A vbaProject.bin: the OLE2 file OOXML documents keep their VBA project in. */
    public static byte[] vbaProjectBin(Map<String, String> modules) {
        return ole2(fs -> writeVbaProject(fs.getRoot(), modules, compressedModules(modules)));
    }

    private static void writeVbaProject(DirectoryEntry parent, Map<String, String> modules,
                                        Map<String, byte[]> moduleStreams) throws IOException {
        StringBuilder project = new StringBuilder("ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n");
        modules.keySet().forEach(name -> project.append("Module=").append(name).append("\r\n"));
        project.append("Name=\"Project\"\r\n");
        parent.createDocument("PROJECT", new ByteArrayInputStream(project.toString().getBytes(StandardCharsets.US_ASCII)));
        DirectoryEntry vba = parent.createDirectory("VBA");
        vba.createDocument("_VBA_PROJECT", new ByteArrayInputStream(new byte[] {(byte) 0xCC, 0x61, -1, -1, 0, 0, 0}));
        vba.createDocument("dir", new ByteArrayInputStream(compress(dirStream(modules.keySet()))));
        for (Map.Entry<String, byte[]> stream : moduleStreams.entrySet()) {
            vba.createDocument(stream.getKey(), new ByteArrayInputStream(stream.getValue()));
        }
    }

    private static Map<String, byte[]> compressedModules(Map<String, String> modules) {
        Map<String, byte[]> streams = new LinkedHashMap<>();
        modules.forEach((name, source) -> streams.put(name, compress(source.getBytes(StandardCharsets.ISO_8859_1))));
        return streams;
    }

    /** The dir stream (MS-OVBA 2.3.4.2) of a project whose modules start at offset 0 of their streams. */
    private static byte[] dirStream(Iterable<String> moduleNames) {
        Records dir = new Records();
        dir.record(0x0001, 4, 1);          // PROJECTSYSKIND: 32-bit Windows
        dir.record(0x0003, 2, 1252);       // PROJECTCODEPAGE
        dir.record(0x0004, ascii("Project"));
        dir.u16(0x0009).u32(4).u32(1).u16(0);   // PROJECTVERSION, whose size field is a constant 4
        int count = 0;
        for (String ignored : moduleNames) {
            count++;
        }
        dir.record(0x000F, 2, count);      // PROJECTMODULES
        dir.record(0x0013, 2, 0xFFFF);     // PROJECTCOOKIE
        for (String name : moduleNames) {
            dir.record(0x0019, ascii(name));                                   // MODULENAME
            dir.record(0x001A, ascii(name));                                   // MODULESTREAMNAME
            dir.record(0x0032, name.getBytes(StandardCharsets.UTF_16LE));     // … its Unicode form
            dir.record(0x0031, 4, 0);                                          // MODULEOFFSET
            dir.record(0x0021, new byte[0]);                                   // MODULETYPE: procedural
            dir.record(0x002B, new byte[0]);                                   // MODULE terminator
        }
        dir.record(0x0010, new byte[0]);   // dir stream terminator
        return dir.bytes();
    }

    /** MS-OVBA compression using literal tokens only: 8 literals per flag byte, 455 groups per chunk. */
    private static byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x01);
        int chunkCapacity = 455 * 8;
        for (int start = 0; start < data.length; start += chunkCapacity) {
            int end = Math.min(data.length, start + chunkCapacity);
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (int group = start; group < end; group += 8) {
                chunk.write(0x00);
                chunk.write(data, group, Math.min(8, end - group));
            }
            int header = 0xB000 | (chunk.size() - 1);
            out.write(header & 0xFF);
            out.write(header >>> 8);
            out.writeBytes(chunk.toByteArray());
        }
        return out.toByteArray();
    }

    /** The globals substream of a BIFF8 workbook: BOF, sheets, names, EOF. */
    private static byte[] workbookGlobals(boolean macroSheet, boolean autoOpenName) {
        Records biff = new Records();
        biff.u16(0x0809).u16(16).u16(0x0600).u16(0x0005).u32(0).u32(0).u32(0);   // BOF, workbook globals
        biff.sheet("Sheet1", 0x00);
        if (macroSheet) {
            biff.sheet("Macro1", 0x01);
        }
        if (autoOpenName) {
            // NAME: fBuiltin, one-character name 0x01 (Auto_Open), formula omitted (cce 0)
            biff.u16(0x0018).u16(16).u16(0x0020).u16(0x0100).u16(0).u16(0).u16(0).u32(0).u16(0x0100);
        }
        biff.u16(0x000A).u16(0);                                                  // EOF
        return biff.bytes();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private interface FsContent {
        void write(POIFSFileSystem fs) throws IOException;
    }

    private static byte[] ole2(FsContent content) {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            content.write(fs);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Little-endian record writer for dir streams and BIFF. */
    private static final class Records {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Records u16(int value) {
            out.write(value & 0xFF);
            out.write(value >>> 8 & 0xFF);
            return this;
        }

        Records u32(long value) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
            return this;
        }

        /** id, size, and a value of {@code size} (2 or 4) bytes */
        void record(int id, int size, long value) {
            u16(id).u32(size);
            if (size == 2) {
                u16((int) value);
            } else {
                u32(value);
            }
        }

        void record(int id, byte[] data) {
            u16(id).u32(data.length);
            out.writeBytes(data);
        }

        /** BOUNDSHEET: stream position (unused here), visible, the sheet type, a compressed-Unicode name */
        void sheet(String name, int type) {
            u16(0x0085).u16(8 + name.length()).u32(0);
            out.write(0);
            out.write(type);
            out.write(name.length());
            out.write(0);
            out.writeBytes(ascii(name));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
