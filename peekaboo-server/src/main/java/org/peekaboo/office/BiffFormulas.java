package org.peekaboo.office;

import java.util.List;
import java.util.StringJoiner;
import org.apache.poi.ss.formula.EvaluationWorkbook.ExternalSheet;
import org.apache.poi.ss.formula.FormulaRenderer;
import org.apache.poi.ss.formula.FormulaRenderingWorkbook;
import org.apache.poi.ss.formula.ptg.AbstractFunctionPtg;
import org.apache.poi.ss.formula.ptg.NamePtg;
import org.apache.poi.ss.formula.ptg.NameXPtg;
import org.apache.poi.ss.formula.ptg.Ptg;
import org.apache.poi.ss.formula.ptg.StringPtg;
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

    /** {@code names}: the workbook's defined names in record order (a NamePtg counts from 1). */
    BiffFormulas(List<String> names) {
        this.names = names;
    }

    /**
     * The formula text of the expression {@code rgce} of {@code length} bytes at {@code offset}
     * in {@code record}; for an expression POI cannot render, the functions and strings it names,
     * so that the indicators still see them.
     */
    String render(byte[] record, int offset, int length) {
        Ptg[] tokens;
        try {
            tokens = Ptg.readTokens(length, new LittleEndianByteArrayInputStream(record, offset, length));
        } catch (RuntimeException e) {
            return "#UNREADABLE";
        }
        try {
            return FormulaRenderer.toFormulaString(this, tokens);
        } catch (RuntimeException e) {
            StringJoiner parts = new StringJoiner(" ");
            for (Ptg token : tokens) {
                if (token instanceof AbstractFunctionPtg function) {
                    parts.add(function.getName() + "()");
                } else if (token instanceof StringPtg string) {
                    parts.add('"' + string.getValue() + '"');
                }
            }
            return parts.toString();
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
