package org.peekaboo.office;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

    /** SYLK's record types ([MS] SYLK format description); a CSV line rarely starts with one. */
    private static final Pattern RECORD = Pattern.compile("(?:ID|B|C|F|O|P|NN|NE|NU|W|E)(?:;.*)?");
    /** Enough of the head to see a few records; the ID record of real files is short. */
    private static final int HEAD = 1024;

    /**
     * Whether the lines at the start of {@code file} are SYLK records: the ID record and, unless
     * the file is that short, at least one more record, the last line possibly cut off.
     */
    static boolean looksLikeSylk(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        }
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n|\r|\n", -1);
        int complete = head.length < HEAD ? lines.length : lines.length - 1;
        int records = 0;
        for (int i = 0; i < complete; i++) {
            if (lines[i].isEmpty() && i == lines.length - 1) {
                continue;
            }
            if (!RECORD.matcher(lines[i]).matches()) {
                return false;
            }
            records++;
        }
        return records >= 2 || head.length < HEAD && records >= 1;
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
