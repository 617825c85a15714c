package org.peekaboo.office;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Excel 4 macros from a SYLK file ({@code ID;P} text, which Excel opens whatever its
 * extension): the formulas ({@code E} fields) of its cell records ({@code C;…}) and the names
 * it defines ({@code NN;N<name>;E<expression>}). A SYLK file is a macro sheet when its options
 * record says so ({@code O;…;E}) or when it defines an auto-run name; the formulas of an
 * ordinary SYLK spreadsheet are not macros and are not reported.
 */
final class SylkReader {
    private final Findings findings;

    SylkReader(Findings findings) {
        this.findings = findings;
    }

    void read(String text, String container) throws OfficeDocumentException {
        boolean macroSheet = false;
        List<String> formulas = new ArrayList<>();
        for (String record : text.split("\r\n|\r|\n")) {
            List<String> fields = fields(record);
            if (fields.isEmpty()) {
                continue;
            }
            switch (fields.getFirst()) {
                case "O" -> macroSheet |= fields.stream().skip(1).anyMatch("E"::equals);
                case "NN" -> {
                    for (String field : fields) {
                        if (field.startsWith("N") && field.length() > 1 && !field.equals("NN")) {
                            findings.xlmName(field.substring(1));
                            macroSheet |= field.substring(1).toLowerCase(java.util.Locale.ROOT).startsWith("auto_");
                        }
                    }
                }
                case "C" -> fields.stream().skip(1).filter(field -> field.startsWith("E") && field.length() > 1)
                        .forEach(field -> formulas.add(field.substring(1)));
                default -> {
                    // formats, widths and the like say nothing about macros
                }
            }
        }
        if (macroSheet) {
            findings.xlmMacroSheet();
            for (String formula : formulas) {
                findings.addXlmFormula(container, formula);
            }
        }
    }

    /** The fields of one record: separated by ';', where ';;' stands for a ';' inside a field. */
    private static List<String> fields(String record) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (c != ';') {
                field.append(c);
            } else if (i + 1 < record.length() && record.charAt(i + 1) == ';') {
                field.append(';');
                i++;
            } else {
                fields.add(field.toString());
                field.setLength(0);
            }
        }
        if (!record.isEmpty()) {
            fields.add(field.toString());
        }
        return fields;
    }
}
