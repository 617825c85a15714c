package org.peekaboo.office;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.poi.poifs.filesystem.DocumentInputStream;
import org.apache.poi.poifs.filesystem.DocumentNode;
import org.apache.poi.util.LittleEndianInputStream;

/**
 * Reads the record stream of a BIFF workbook ({@code Workbook} or {@code Book}) for Excel 4
 * macros: macro sheets (BOUNDSHEET of sheet type "macro sheet", or a substream whose BOF says
 * so), cells named Auto_Open/Auto_Close/Auto_Activate, and, in BIFF8, the FORMULA records of
 * the macro sheets. An encrypted workbook is decrypted with Excel's default passwords
 * ({@link BiffDecryption}); one that none of them opens is refused as encrypted. One scanner
 * reads one stream.
 */
final class BiffWorkbookScanner {
    // [MS-XLS] record types
    private static final int BIFF_FORMULA = 0x0006;
    private static final int BIFF_EOF = 0x000A;
    private static final int BIFF_NAME = 0x0018;
    private static final int BIFF_FILEPASS = 0x002F;
    private static final int BIFF_BOUNDSHEET = 0x0085;
    private static final int BIFF_BOF = 0x0809;
    private static final int BIFF8 = 0x0600;
    private static final int BOF_MACRO_SHEET = 0x0040;
    private static final int SHEET_TYPE_MACRO = 0x01;
    private static final int NAME_BUILTIN = 0x0020;
    /** Built-in name numbers of [MS-XLS] 2.5.158 that run a macro by themselves, and their names. */
    private static final int BUILTIN_AUTO_OPEN = 0x01;
    private static final int BUILTIN_AUTO_CLOSE = 0x02;
    private static final int BUILTIN_AUTO_ACTIVATE = 0x0A;
    /** The fixed part of a FORMULA record before its expression: cell, value, flags, cce. */
    private static final int FORMULA_HEADER = 22;

    private final Findings findings;
    private final String container;
    private final List<String> names = new ArrayList<>();
    private final Set<Long> macroSheetOffsets = new HashSet<>();
    private final BiffFormulas formulas = new BiffFormulas(names);
    private boolean globals = true;
    private boolean inMacroSheet;
    private boolean biff8;
    private boolean decrypted;

    BiffWorkbookScanner(Findings findings, String container) {
        this.findings = findings;
        this.container = container;
    }

    void scan(DocumentNode workbook) throws IOException {
        byte[] filePass;
        try (DocumentInputStream in = new DocumentInputStream(workbook)) {
            filePass = scan(new LittleEndianInputStream(in), workbook.getSize());
        }
        if (filePass != null) {
            byte[] stream;
            try (DocumentInputStream in = new DocumentInputStream(workbook)) {
                stream = in.readAllBytes();
            }
            byte[] plain = BiffDecryption.decrypt(stream, filePass, container);
            decrypted = true;
            scan(new LittleEndianInputStream(new ByteArrayInputStream(plain)), plain.length);
        }
    }

    /** Reads the records of {@code in}; returns the FILEPASS record's data when it finds one still encrypted. */
    private byte[] scan(LittleEndianInputStream in, long size) throws IOException {
        while (in.available() >= 4) {
            long position = size - in.available();
            int type = in.readUShort();
            int length = in.readUShort();
            if (length > in.available()) {
                throw new OfficeDocumentException(container + ": workbook record 0x" + Integer.toHexString(type)
                        + " runs past the end of the stream");
            }
            if (!wanted(type)) {
                in.skipNBytes(length);
                record(type, null, position);
                continue;
            }
            byte[] data = new byte[length];
            in.readFully(data);
            if (type == BIFF_FILEPASS) {
                // Encryption starts after FILEPASS, right after the globals' BOF: nothing before it was noted.
                return data;
            }
            record(type, data, position);
        }
        return null;
    }

    private boolean wanted(int type) {
        return type == BIFF_BOF || (type == BIFF_FILEPASS && !decrypted)
                || (globals && (type == BIFF_BOUNDSHEET || type == BIFF_NAME))
                || (inMacroSheet && biff8 && type == BIFF_FORMULA);
    }

    /** Notes one record; {@code data} is null for a record that is not {@link #wanted(int) wanted}. */
    private void record(int type, byte[] data, long position) throws IOException {
        if (data == null) {
            if (type == BIFF_EOF) {
                globals = false;
                inMacroSheet = false;
            }
            return;
        }
        int length = data.length;
        switch (type) {
            case BIFF_BOF -> {
                biff8 = length >= 4 && u16(data, 0) == BIFF8;
                boolean macroBof = length >= 4 && u16(data, 2) == BOF_MACRO_SHEET;
                inMacroSheet = !globals && (macroBof || macroSheetOffsets.contains(position));
                if (inMacroSheet) {
                    findings.xlmMacroSheet();
                }
            }
            case BIFF_BOUNDSHEET -> {
                if (length >= 6 && (data[5] & 0xFF) == SHEET_TYPE_MACRO) {
                    findings.xlmMacroSheet();
                    macroSheetOffsets.add(u32(data, 0));
                }
            }
            case BIFF_NAME -> names.add(name(data));
            case BIFF_FORMULA -> {
                if (length >= FORMULA_HEADER) {
                    int cce = Math.min(u16(data, FORMULA_HEADER - 2), length - FORMULA_HEADER);
                    findings.addXlmFormula(container, formulas.render(data, FORMULA_HEADER, cce));
                }
            }
            default -> {
                // FILEPASS: handled by the caller
            }
        }
    }

    /** The name a NAME record defines; notes the names that run a macro by themselves. */
    private String name(byte[] data) {
        if (data.length < 16) {
            return "#NAME";
        }
        int options = u16(data, 0);
        int nameLength = data[3] & 0xFF;
        boolean wide = (data[14] & 0x01) != 0;
        if ((options & NAME_BUILTIN) != 0) {
            switch (data[15] & 0xFF) {
                case BUILTIN_AUTO_OPEN -> {
                    findings.xlmAutoexec(MacroKeywords.XLM_AUTO_OPEN);
                    return "Auto_Open";
                }
                case BUILTIN_AUTO_CLOSE -> {
                    findings.xlmAutoexec(MacroKeywords.XLM_AUTO_CLOSE);
                    return "Auto_Close";
                }
                case BUILTIN_AUTO_ACTIVATE -> {
                    findings.xlmAutoexec(MacroKeywords.XLM_AUTO_ACTIVATE);
                    return "Auto_Activate";
                }
                default -> {
                    return "#BUILTIN" + (data[15] & 0xFF);
                }
            }
        }
        int available = Math.min(nameLength, (data.length - 15) / (wide ? 2 : 1));
        StringBuilder name = new StringBuilder(available);
        for (int i = 0; i < available; i++) {
            name.append((char) (wide ? u16(data, 15 + 2 * i) : data[15 + i] & 0xFF));
        }
        findings.xlmName(name.toString());
        return name.toString();
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xFF) | (data[offset + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] data, int offset) {
        return u16(data, offset) | (long) u16(data, offset + 2) << 16;
    }
}
