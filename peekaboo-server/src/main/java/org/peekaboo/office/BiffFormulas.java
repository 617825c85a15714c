package org.peekaboo.office;

import java.util.List;
import org.apache.poi.ss.formula.EvaluationWorkbook.ExternalSheet;
import org.apache.poi.ss.formula.FormulaRenderer;
import org.apache.poi.ss.formula.FormulaRenderingWorkbook;
import org.apache.poi.ss.formula.ptg.NamePtg;
import org.apache.poi.ss.formula.ptg.NameXPtg;
import org.apache.poi.ss.formula.ptg.Ptg;
import org.apache.poi.util.LittleEndianByteArrayInputStream;

/**
 * Turns the parsed expression of a BIFF8 FORMULA record back into formula text with Apache
 * POI's token reader and renderer, which know the Excel 4 macro functions (EXEC, CALL,
 * REGISTER, FORMULA, …) by their function ids. Sheet references are not resolved (the
 * indicators look at functions and strings, not at where cells are); defined names are, so
 * that a function REGISTER set up shows under its name.
 */
final class BiffFormulas implements FormulaRenderingWorkbook {
    private static final String UNRESOLVED_SHEET = "Sheet";
    private final List<String> names;
    private final FormulaTokens tokens;

    /** {@code names}: the workbook's defined names in record order (a NamePtg counts from 1). */
    BiffFormulas(List<String> names) {
        this.names = names;
        this.tokens = FormulaTokens.biff8(names);
    }

    /**
     * The formula text of the expression {@code rgce} of {@code length} bytes at {@code offset}
     * in {@code record}. Where POI cannot read or render it — POI's function table lacks Excel 4
     * functions every XLM dropper uses, HALT and REGISTER among them, and fails on their ids —
     * {@link FormulaTokens} reads it, which knows them, and for an expression it cannot decode
     * either gives the functions and strings it names, so that the indicators still see them.
     */
    String render(byte[] record, int offset, int length) {
        try {
            Ptg[] tokens = Ptg.readTokens(length, new LittleEndianByteArrayInputStream(record, offset, length));
            return FormulaRenderer.toFormulaString(this, tokens);
        } catch (RuntimeException e) {
            return tokens.render(record, offset, length);
        }
    }

    @Override
    public ExternalSheet getExternalSheet(int externSheetIndex) {
        return null;
    }

    @Override
    public String getSheetFirstNameByExternSheet(int externSheetIndex) {
        return UNRESOLVED_SHEET;
    }

    @Override
    public String getSheetLastNameByExternSheet(int externSheetIndex) {
        return UNRESOLVED_SHEET;
    }

    @Override
    public String resolveNameXText(NameXPtg nameX) {
        return "#EXTERNAL";
    }

    @Override
    public String getNameText(NamePtg name) {
        int index = name.getIndex();
        return index >= 0 && index < names.size() ? names.get(index) : "#NAME";
    }
}
