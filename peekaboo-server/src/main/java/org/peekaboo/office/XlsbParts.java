package org.peekaboo.office;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads what the Excel 4 macro analysis needs from the BIFF12 parts of a binary workbook
 * (.xlsb, [MS-XLSB]): from {@code xl/workbook.bin} the sheets (BrtBundleSh, with their
 * visibility) and the defined names (BrtName, among them Auto_Open in whatever spelling), and
 * from a macro sheet part the formulas of its cells (BrtFmlaString/Num/Bool/Error) and its
 * shared and array formulas (BrtShrFmla, BrtArrFmla). No library reads BIFF12 formulas (Apache
 * POI's XSSFBParser reads cell values only), so this is a small parser bounded by the part in
 * memory: every length is checked against its record ({@link Biff12Data}), every record
 * against its part ({@link Biff12Records}).
 */
final class XlsbParts {
    // [MS-XLSB] 2.3.2 record types
    private static final int BRT_FMLA_STRING = 8;
    private static final int BRT_FMLA_NUM = 9;
    private static final int BRT_FMLA_BOOL = 10;
    private static final int BRT_FMLA_ERROR = 11;
    private static final int BRT_NAME = 39;
    private static final int BRT_BUNDLE_SH = 156;
    private static final int BRT_ARR_FMLA = 426;
    private static final int BRT_SHR_FMLA = 427;
    /** BrtName's flags: fHidden and fBuiltin. */
    private static final int NAME_HIDDEN = 0x01;
    private static final int NAME_BUILTIN = 0x20;
    /** A cell (column, style) before a formula cell's value; the flags between value and formula. */
    private static final int CELL_BYTES = 8;
    private static final int FORMULA_FLAGS_BYTES = 2;
    /** RfX: the first and last row and column a shared or array formula covers. */
    private static final int RANGE_BYTES = 16;
    /** A formula that is only a PtgExp points at a shared formula, which is read once, from its own record. */
    private static final int PTG_EXP = 0x01;
    private static final int PTG_EXP_BYTES = 5;
    private static final String BUILTIN_PREFIX = "_xlnm.";

    private XlsbParts() {
    }

    /** Sheet visibility of BrtBundleSh's hsState. */
    enum Visibility { VISIBLE, HIDDEN, VERY_HIDDEN }

    /**
     * One sheet of the workbook.
     *
     * @param name           its tab name
     * @param relationshipId the relationship of workbook.bin that names its part
     * @param visibility     whether it shows, is hidden or is only shown again by VBA
     */
    record Sheet(String name, String relationshipId, Visibility visibility) {
    }

    /**
     * One defined name.
     *
     * @param name     as written, without the {@code _xlnm.} prefix of built-in names
     * @param hidden   whether Excel hides it from the name manager
     * @param refersTo its formula, e.g. {@code Sheet!$A$1}
     */
    record Name(String name, boolean hidden, String refersTo) {
    }

    /** The sheets and names of workbook.bin; {@code names} in record order, as PtgName counts them. */
    record Workbook(List<Sheet> sheets, List<Name> names) {
        Workbook {
            sheets = List.copyOf(sheets);
            names = List.copyOf(names);
        }

        List<String> nameTexts() {
            return names.stream().map(Name::name).toList();
        }
    }

    static Workbook workbook(byte[] part, String where) throws OfficeDocumentException {
        List<Sheet> sheets = new ArrayList<>();
        List<Name> names = new ArrayList<>();
        List<String> nameTexts = new ArrayList<>();
        FormulaTokens formulas = FormulaTokens.biff12(nameTexts);
        Biff12Records records = new Biff12Records(part, where);
        while (records.next()) {
            if (records.type() == BRT_BUNDLE_SH) {
                Biff12Data data = records.data();
                int state = data.i32();
                data.skip(4);   // iTabID
                String relationship = data.nullableWideString();
                String name = data.wideString();
                sheets.add(new Sheet(name, relationship, switch (state) {
                    case 0 -> Visibility.VISIBLE;
                    case 1 -> Visibility.HIDDEN;
                    default -> Visibility.VERY_HIDDEN;
                }));
            } else if (records.type() == BRT_NAME) {
                Biff12Data data = records.data();
                int flags = data.i32();
                data.skip(1 + 4);   // chKey, itab
                String name = data.wideString();
                if ((flags & NAME_BUILTIN) != 0 || name.toLowerCase(Locale.ROOT).startsWith(BUILTIN_PREFIX)) {
                    name = name.regionMatches(true, 0, BUILTIN_PREFIX, 0, BUILTIN_PREFIX.length())
                            ? name.substring(BUILTIN_PREFIX.length()) : name;
                }
                String refersTo = parsedFormula(data, formulas);
                names.add(new Name(name, (flags & NAME_HIDDEN) != 0, refersTo));
                nameTexts.add(name);
            }
        }
        return new Workbook(sheets, names);
    }

    /** The formulas of a macro sheet part, in cell order; shared and array formulas once each. */
    static List<String> formulas(byte[] part, String where, FormulaTokens formulas) throws OfficeDocumentException {
        List<String> found = new ArrayList<>();
        Biff12Records records = new Biff12Records(part, where);
        while (records.next()) {
            Biff12Data data = records.data();
            switch (records.type()) {
                case BRT_FMLA_STRING -> {
                    data.skip(CELL_BYTES);
                    data.wideString();
                    cellFormula(data, formulas, found);
                }
                case BRT_FMLA_NUM -> {
                    data.skip(CELL_BYTES + 8);
                    cellFormula(data, formulas, found);
                }
                case BRT_FMLA_BOOL, BRT_FMLA_ERROR -> {
                    data.skip(CELL_BYTES + 1);
                    cellFormula(data, formulas, found);
                }
                case BRT_SHR_FMLA -> {
                    data.skip(RANGE_BYTES);
                    found.add(parsedFormula(data, formulas));
                }
                case BRT_ARR_FMLA -> {
                    data.skip(RANGE_BYTES + 1);
                    found.add(parsedFormula(data, formulas));
                }
                default -> {
                    // other records carry no formula
                }
            }
        }
        return found;
    }

    private static void cellFormula(Biff12Data data, FormulaTokens formulas, List<String> found)
            throws OfficeDocumentException {
        data.skip(FORMULA_FLAGS_BYTES);
        int start = data.position();
        String formula = parsedFormula(data, formulas);
        byte[] bytes = data.bytes();
        boolean sharedOnly = (bytes[start] & 0xFF) == PTG_EXP_BYTES && bytes[start + 1] == 0 && bytes[start + 2] == 0
                && bytes[start + 3] == 0 && (bytes[start + 4] & 0xFF) == PTG_EXP;
        if (!sharedOnly && !formula.isEmpty()) {
            found.add(formula);
        }
    }

    /** CellParsedFormula, NameParsedFormula, …: cce, rgce, cb, rgcb; the text of rgce. */
    private static String parsedFormula(Biff12Data data, FormulaTokens formulas) throws OfficeDocumentException {
        int cce = data.count(1, "a formula");
        int start = data.position();
        data.skip(cce);
        String text = formulas.render(data.bytes(), start, cce);
        int cb = data.count(1, "a formula's extra data");
        data.skip(cb);
        return text;
    }
}
