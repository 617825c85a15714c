package org.peekaboo.office.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.ss.formula.function.FunctionMetadataRegistry;

/**
 * Writes binary Excel workbooks (.xlsb, [MS-XLSB]) from real BIFF12 records: a package with
 * [Content_Types].xml, relationships, xl/workbook.bin (sheets, external sheet table, defined
 * names), xl/styles.bin, a data worksheet and optionally an Excel 4 macro sheet whose formulas
 * are compiled here from their text into parsed expressions (Ptg tokens) as Excel stores them.
 * The compiler knows what the tests and the corpus write: function calls, strings, numbers,
 * cell references, {@code &}, comparisons and arithmetic; a function it does not know is
 * called through a defined name, as Excel stores a function REGISTER sets up.
 */
public final class XlsbFiles {
    /** BrtBundleSh's hsState. */
    public static final int VISIBLE = 0;
    public static final int HIDDEN = 1;
    public static final int VERY_HIDDEN = 2;

    // [MS-XLSB] 2.3.2 record types
    public static final int BRT_ROW_HDR = 0;
    public static final int BRT_CELL_REAL = 5;
    public static final int BRT_CELL_ST = 6;
    public static final int BRT_FMLA_STRING = 8;
    public static final int BRT_FMLA_NUM = 9;
    public static final int BRT_NAME = 39;
    public static final int BRT_BEGIN_SHEET = 129;
    public static final int BRT_END_SHEET = 130;
    public static final int BRT_BEGIN_BOOK = 131;
    public static final int BRT_END_BOOK = 132;
    public static final int BRT_BEGIN_BUNDLE_SHS = 143;
    public static final int BRT_END_BUNDLE_SHS = 144;
    public static final int BRT_BEGIN_SHEET_DATA = 145;
    public static final int BRT_END_SHEET_DATA = 146;
    public static final int BRT_WS_DIM = 148;
    public static final int BRT_BUNDLE_SH = 156;
    public static final int BRT_BEGIN_EXTERNALS = 353;
    public static final int BRT_END_EXTERNALS = 354;
    public static final int BRT_SUP_SELF = 357;
    public static final int BRT_EXTERN_SHEET = 362;
    public static final int BRT_BEGIN_STYLE_SHEET = 278;
    public static final int BRT_END_STYLE_SHEET = 279;
    public static final int BRT_SHR_FMLA = 427;

    private static final String MAIN_TYPE = "application/vnd.ms-excel.sheet.binary.macroEnabled.main";
    private static final String MACRO_SHEET_REL = "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet";
    private static final String OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    /** Function names to (Ftab or Cetab id, whether a command): the Excel 4 ones POI cannot look up. */
    private static final Map<String, int[]> MACRO_FUNCTIONS = Map.ofEntries(
            Map.entry("HALT", new int[] {54, 0}), Map.entry("REGISTER", new int[] {149, 0}),
            Map.entry("SET.VALUE", new int[] {108, 0}), Map.entry("FOPEN", new int[] {132, 0}),
            Map.entry("FWRITELN", new int[] {137, 0}), Map.entry("FWRITE", new int[] {138, 0}),
            Map.entry("FCLOSE", new int[] {133, 0}), Map.entry("CLOSE", new int[] {16, 1}),
            Map.entry("RUN", new int[] {17, 1}), Map.entry("FORMAT.NUMBER", new int[] {42, 1}),
            Map.entry("FORMULA", new int[] {96, 1}), Map.entry("FORMULA.FILL", new int[] {97, 1}),
            Map.entry("SELECT", new int[] {109, 1}), Map.entry("ALERT", new int[] {118, 1}));
    /** Functions written with PtgFunc (a fixed argument count), as Excel does; the rest with PtgFuncVar. */
    private static final List<String> FIXED = List.of("CHAR", "GOTO", "GET.WORKSPACE");

    private XlsbFiles() {
    }

    /**
     * A binary workbook whose Excel 4 macro sheet "Macro1" holds {@code formulas} in column A
     * from A1 (without the leading '='), a cell named Auto_Open pointing at A1, and a data
     * sheet: the .xlsb twin of {@link OfficeFiles#xlsmWithXlmFormulas}.
     */
    public static byte[] xlsbWithXlmFormulas(String... formulas) {
        return xlsb("Auto_Open", VISIBLE, List.of(formulas));
    }

    /**
     * A binary workbook with a data sheet and, unless {@code formulas} is null, a macro sheet
     * "Macro1" in the given visibility holding them; {@code trigger}, unless null, is a defined
     * name pointing at Macro1!$A$1 (e.g. "Auto_Open", "_xlnm.Auto_Open", "auto_open_x").
     */
    public static byte[] xlsb(String trigger, int visibility, List<String> formulas) {
        List<String> names = new ArrayList<>();
        if (trigger != null) {
            names.add(trigger);
        }
        List<byte[]> compiled = new ArrayList<>();
        if (formulas != null) {
            for (String formula : formulas) {
                compiled.add(new Compiler(formula, names).compile());
            }
        }
        Map<String, byte[]> parts = new LinkedHashMap<>();
        boolean macro = formulas != null;
        parts.put("[Content_Types].xml", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/>"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.bin\" ContentType=\"" + MAIN_TYPE + "\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.bin\" ContentType=\"application/vnd.ms-excel.worksheet\"/>"
                + (macro ? "<Override PartName=\"/xl/macrosheets/sheet1.bin\""
                        + " ContentType=\"application/vnd.ms-excel.macrosheet\"/>" : "")
                + "<Override PartName=\"/xl/styles.bin\" ContentType=\"application/vnd.ms-excel.styles\"/>"
                + "</Types>"));
        parts.put("_rels/.rels", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"" + OFFICE_REL + "officeDocument\" Target=\"xl/workbook.bin\"/>"
                + "</Relationships>"));
        parts.put("xl/_rels/workbook.bin.rels", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"" + OFFICE_REL + "worksheet\" Target=\"worksheets/sheet1.bin\"/>"
                + (macro ? "<Relationship Id=\"rId2\" Type=\"" + MACRO_SHEET_REL + "\" Target=\"macrosheets/sheet1.bin\"/>"
                        : "")
                + "<Relationship Id=\"rId3\" Type=\"" + OFFICE_REL + "styles\" Target=\"styles.bin\"/>"
                + "</Relationships>"));
        parts.put("xl/workbook.bin", workbook(macro, visibility, names));
        parts.put("xl/styles.bin", concat(record(BRT_BEGIN_STYLE_SHEET, new byte[0]),
                record(BRT_END_STYLE_SHEET, new byte[0])));
        parts.put("xl/worksheets/sheet1.bin", sheet(dataCells()));
        if (macro) {
            List<byte[]> cells = new ArrayList<>();
            for (int i = 0; i < compiled.size(); i++) {
                cells.add(row(i, record(BRT_FMLA_NUM, concat(cell(0), le64(0), le16(0), parsedFormula(compiled.get(i))))));
            }
            parts.put("xl/macrosheets/sheet1.bin", sheet(cells));
        }
        return OfficeFiles.zip(parts);
    }

    /** A binary workbook of data only: a price list, no macro sheet, no names. */
    public static byte[] dataOnly() {
        return xlsb(null, VISIBLE, null);
    }

    /** The parsed expression (rgce) Excel stores for {@code formula}; names it calls are added to {@code names}. */
    public static byte[] compile(String formula, List<String> names) {
        return new Compiler(formula, names).compile();
    }

    /** One BIFF12 record: type and size as 7-bit varints, then the data. */
    public static byte[] record(int type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, type);
        varint(out, data.length);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** CellParsedFormula: cce, rgce, cb (0), no rgcb. */
    public static byte[] parsedFormula(byte[] rgce) {
        return concat(le32(rgce.length), rgce, le32(0));
    }

    /** A macro or worksheet part holding the given row and cell records. */
    public static byte[] sheet(List<byte[]> rows) {
        List<byte[]> records = new ArrayList<>();
        records.add(record(BRT_BEGIN_SHEET, new byte[0]));
        records.add(record(BRT_WS_DIM, concat(le32(0), le32(Math.max(0, rows.size() - 1)), le32(0), le32(1))));
        records.add(record(BRT_BEGIN_SHEET_DATA, new byte[0]));
        records.addAll(rows);
        records.add(record(BRT_END_SHEET_DATA, new byte[0]));
        records.add(record(BRT_END_SHEET, new byte[0]));
        return concat(records.toArray(byte[][]::new));
    }

    /** BrtRowHdr for {@code row} spanning columns A-B, followed by its cell records. */
    public static byte[] row(int row, byte[]... cells) {
        byte[] header = record(BRT_ROW_HDR, concat(le32(row), le32(0), le16(0x12C), new byte[3], le32(1), le32(0),
                le32(1)));
        byte[][] all = new byte[cells.length + 1][];
        all[0] = header;
        System.arraycopy(cells, 0, all, 1, cells.length);
        return concat(all);
    }

    /** Cell: column and style 0. */
    public static byte[] cell(int column) {
        return concat(le32(column), le32(0));
    }

    private static byte[] workbook(boolean macro, int visibility, List<String> names) {
        List<byte[]> records = new ArrayList<>();
        records.add(record(BRT_BEGIN_BOOK, new byte[0]));
        records.add(record(BRT_BEGIN_BUNDLE_SHS, new byte[0]));
        records.add(record(BRT_BUNDLE_SH, concat(le32(VISIBLE), le32(1), wide("rId1"), wide("Prices"))));
        if (macro) {
            records.add(record(BRT_BUNDLE_SH, concat(le32(visibility), le32(2), wide("rId2"), wide("Macro1"))));
        }
        records.add(record(BRT_END_BUNDLE_SHS, new byte[0]));
        records.add(record(BRT_BEGIN_EXTERNALS, new byte[0]));
        records.add(record(BRT_SUP_SELF, new byte[0]));
        int sheets = macro ? 2 : 1;
        records.add(record(BRT_EXTERN_SHEET, concat(le32(1), le32(0), le32(sheets - 1), le32(sheets - 1))));
        records.add(record(BRT_END_EXTERNALS, new byte[0]));
        for (int i = 0; i < names.size(); i++) {
            boolean trigger = i == 0 && macro && names.getFirst() != null && !names.getFirst().isEmpty()
                    && names.getFirst().toLowerCase(Locale.ROOT).replace("_xlnm.", "").startsWith("auto_");
            // A trigger points at Macro1!$A$1 (ixti 0: the macro sheet); a called name is a function (fFunc).
            byte[] formula = trigger ? concat(new byte[] {0x3A}, le16(0), le32(0), le16(0))
                    : new byte[] {0x1C, 0x17};
            int flags = trigger ? 0 : 0x02;
            records.add(record(BRT_NAME, concat(le32(flags), new byte[1], le32(0xFFFFFFFF), wide(names.get(i)),
                    parsedFormula(formula), le32(0xFFFFFFFF))));
        }
        records.add(record(BRT_END_BOOK, new byte[0]));
        return concat(records.toArray(byte[][]::new));
    }

    private static List<byte[]> dataCells() {
        String[][] rows = {{"Item", "Price"}, {"Paper A4", "4.99"}, {"Toner", "59.9"}, {"Stapler", "12.5"}};
        List<byte[]> cells = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
            byte[] first = record(BRT_CELL_ST, concat(cell(0), wide(rows[r][0])));
            byte[] second = r == 0 ? record(BRT_CELL_ST, concat(cell(1), wide(rows[r][1])))
                    : record(BRT_CELL_REAL, concat(cell(1), le64(Double.doubleToLongBits(Double.parseDouble(rows[r][1])))));
            cells.add(row(r, first, second));
        }
        return cells;
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
    }

    /** XLWideString. */
    public static byte[] wide(String text) {
        return concat(le32(text.length()), text.getBytes(StandardCharsets.UTF_16LE));
    }

    public static byte[] le16(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8)};
    }

    public static byte[] le32(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    private static byte[] le64(long value) {
        return concat(le32((int) value), le32((int) (value >>> 32)));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Recursive descent from formula text to Ptg tokens in reverse Polish order. */
    private static final class Compiler {
        private static final List<String> COMPARISONS = List.of("<>", "<=", ">=", "=", "<", ">");
        private static final Map<String, Integer> OPERATORS = Map.of("+", 0x03, "-", 0x04, "*", 0x05, "/", 0x06,
                "&", 0x08, "<", 0x09, "<=", 0x0A, "=", 0x0B, ">=", 0x0C, ">", 0x0D);
        private final String text;
        private final List<String> names;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int at;

        Compiler(String text, List<String> names) {
            this.text = text;
            this.names = names;
        }

        byte[] compile() {
            expression();
            if (at != text.length()) {
                throw new IllegalArgumentException("cannot compile " + text + " at " + at);
            }
            return out.toByteArray();
        }

        private void expression() {
            concatenation();
            for (String op = comparison(); op != null; op = comparison()) {
                concatenation();
                out.write(op.equals("<>") ? 0x0E : OPERATORS.get(op));
            }
        }

        private String comparison() {
            for (String op : COMPARISONS) {
                if (text.startsWith(op, at)) {
                    at += op.length();
                    return op;
                }
            }
            return null;
        }

        private void concatenation() {
            additive();
            while (peek('&')) {
                at++;
                additive();
                out.write(0x08);
            }
        }

        private void additive() {
            term();
            while (peek('+') || peek('-')) {
                char op = text.charAt(at++);
                term();
                out.write(OPERATORS.get(String.valueOf(op)));
            }
        }

        private void term() {
            unary();
            while (peek('*') || peek('/')) {
                char op = text.charAt(at++);
                unary();
                out.write(OPERATORS.get(String.valueOf(op)));
            }
        }

        private void unary() {
            if (peek('-')) {
                at++;
                unary();
                out.write(0x13);
            } else {
                primary();
            }
        }

        private void primary() {
            if (peek('"')) {
                StringBuilder value = new StringBuilder();
                at++;
                while (true) {
                    char c = text.charAt(at++);
                    if (c == '"') {
                        if (peek('"')) {
                            at++;
                        } else {
                            break;
                        }
                    }
                    value.append(c);
                }
                out.write(0x17);
                out.writeBytes(le16(value.length()));
                out.writeBytes(value.toString().getBytes(StandardCharsets.UTF_16LE));
            } else if (peek('(')) {
                at++;
                expression();
                expect(')');
                out.write(0x15);
            } else if (at < text.length() && Character.isDigit(text.charAt(at))) {
                int start = at;
                while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
                double value = Double.parseDouble(text.substring(start, at));
                if (value == Math.rint(value) && value <= 0xFFFF) {
                    out.write(0x1E);
                    out.writeBytes(le16((int) value));
                } else {
                    out.write(0x1F);
                    out.writeBytes(le64(Double.doubleToLongBits(value)));
                }
            } else {
                identifier();
            }
        }

        private void identifier() {
            boolean local = peek('!');
            if (local) {
                at++;   // !A1: a cell of the macro sheet itself
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "._$".indexOf(text.charAt(at)) >= 0)) {
                at++;
            }
            String word = text.substring(start, at);
            if (word.isEmpty()) {
                throw new IllegalArgumentException("cannot compile " + text + " at " + at);
            }
            if (peek('(')) {
                at++;
                int arguments = 0;
                boolean userDefined = function(word) == null;
                if (userDefined) {
                    name(word);
                    arguments++;
                }
                if (!peek(')')) {
                    do {
                        if (peek(',') || peek(')')) {
                            out.write(0x16);   // PtgMissArg
                        } else {
                            expression();
                        }
                        arguments++;
                    } while (skip(','));
                }
                expect(')');
                call(word, arguments, userDefined);
            } else if (peek('!')) {
                at++;   // Sheet!A1: PtgRef3d, ixti 0
                out.write(0x3A);
                out.writeBytes(le16(0));
                reference(identifierText());
            } else if (word.equalsIgnoreCase("TRUE") || word.equalsIgnoreCase("FALSE")) {
                out.write(0x1D);
                out.write(word.equalsIgnoreCase("TRUE") ? 1 : 0);
            } else if (word.matches("\\$?[A-Z]{1,3}\\$?\\d+")) {
                if (peek(':')) {
                    at++;
                    out.write(0x25);
                    int[] first = parse(word);
                    int[] last = parse(identifierText());
                    out.writeBytes(le32(first[0]));
                    out.writeBytes(le32(last[0]));
                    out.writeBytes(le16(first[1]));
                    out.writeBytes(le16(last[1]));
                } else {
                    out.write(0x24);
                    reference(word);
                }
            } else {
                name(word);
            }
        }

        private String identifierText() {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '$')) {
                at++;
            }
            return text.substring(start, at);
        }

        private void reference(String cell) {
            int[] parsed = parse(cell);
            out.writeBytes(le32(parsed[0]));
            out.writeBytes(le16(parsed[1]));
        }

        /** Row, and column with bit 14 for a relative column and bit 15 for a relative row. */
        private static int[] parse(String cell) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\$?)([A-Z]{1,3})(\\$?)(\\d+)").matcher(cell);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a cell: " + cell);
            }
            int column = 0;
            for (char c : m.group(2).toCharArray()) {
                column = column * 26 + (c - 'A' + 1);
            }
            column -= 1;
            if (m.group(1).isEmpty()) {
                column |= 0x4000;
            }
            if (m.group(3).isEmpty()) {
                column |= 0x8000;
            }
            return new int[] {Integer.parseInt(m.group(4)) - 1, column};
        }

        private void name(String word) {
            int index = names.indexOf(word);
            if (index < 0) {
                names.add(word);
                index = names.size() - 1;
            }
            out.write(0x43);   // PtgName, value class
            out.writeBytes(le32(index + 1));
        }

        private void call(String word, int arguments, boolean userDefined) {
            int[] function = userDefined ? new int[] {255, 0} : function(word);
            if (!userDefined && FIXED.contains(word.toUpperCase(Locale.ROOT))) {
                out.write(0x41);   // PtgFunc, value class
                out.writeBytes(le16(function[0]));
            } else {
                out.write(0x42);   // PtgFuncVar, value class
                out.write(arguments);
                out.writeBytes(le16(function[0] | (function[1] != 0 ? 0x8000 : 0)));
            }
        }

        private static int[] function(String word) {
            String upper = word.toUpperCase(Locale.ROOT);
            int[] macro = MACRO_FUNCTIONS.get(upper);
            if (macro != null) {
                return macro;
            }
            short index = FunctionMetadataRegistry.lookupIndexByName(upper);
            return index < 0 ? null : new int[] {index, 0};
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private boolean skip(char c) {
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!skip(c)) {
                throw new IllegalArgumentException("expected " + c + " in " + text + " at " + at);
            }
        }
    }
}
