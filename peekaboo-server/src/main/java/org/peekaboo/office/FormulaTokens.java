package org.peekaboo.office;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.poi.ss.formula.function.FunctionMetadata;
import org.apache.poi.ss.formula.function.FunctionMetadataRegistry;

/**
 * Turns the parsed expression ({@code rgce}) of a BIFF12 or BIFF8 formula back into formula
 * text, so that {@link XlmIndicators} judge an .xlsb macro sheet by the same text as the .xlsm
 * and .xls ones. Apache POI reads BIFF8 tokens only, and fails on the ids of Excel 4 functions
 * it does not know; BIFF12 keeps BIFF8's token ids but widens rows to 4 bytes and name indices
 * to 4 bytes and always stores strings as UTF-16 ([MS-XLSB] 2.5.97). The two differ only in
 * operand sizes, so one reader serves both: for .xlsb always, for .xls where POI fails
 * ({@link BiffFormulas}). Function names come from POI's
 * function tables (the same ids as BIFF8), completed with the Excel 4 macro functions POI
 * lacks ([MS-XLS] 2.5.198.17), among them HALT, REGISTER, FOPEN, FWRITE and SET.VALUE.
 *
 * <p>Sheet references are not resolved (the indicators look at functions and strings); defined
 * names are, so a function REGISTER set up shows under its name. An expression that cannot be
 * decoded to the end gives the functions and strings read up to there, then
 * {@code #UNREADABLE}: the indicators still see them, and nothing is dropped silently.
 */
final class FormulaTokens {
    /** Ftab ids of Excel 4 macro functions missing from POI's table, with their fixed argument count or -1. */
    private static final Map<Integer, Function> MACRO_FUNCTIONS = Map.ofEntries(
            Map.entry(54, new Function("HALT", -1)), Map.entry(87, new Function("ECHO", -1)),
            Map.entry(88, new Function("SET.NAME", -1)), Map.entry(89, new Function("CALLER", 0)),
            Map.entry(90, new Function("DEREF", 1)), Map.entry(91, new Function("WINDOWS", -1)),
            Map.entry(92, new Function("SERIES", -1)), Map.entry(93, new Function("DOCUMENTS", -1)),
            Map.entry(94, new Function("ACTIVE.CELL", 0)), Map.entry(95, new Function("SELECTION", 0)),
            Map.entry(96, new Function("RESULT", -1)), Map.entry(103, new Function("LINKS", -1)),
            Map.entry(104, new Function("INPUT", -1)), Map.entry(106, new Function("GET.FORMULA", 1)),
            Map.entry(107, new Function("GET.NAME", -1)), Map.entry(108, new Function("SET.VALUE", 2)),
            Map.entry(122, new Function("NAMES", -1)), Map.entry(123, new Function("DIRECTORY", -1)),
            Map.entry(132, new Function("FOPEN", -1)), Map.entry(133, new Function("FCLOSE", 1)),
            Map.entry(134, new Function("FSIZE", 1)), Map.entry(135, new Function("FREADLN", 1)),
            Map.entry(136, new Function("FREAD", 2)), Map.entry(137, new Function("FWRITELN", 2)),
            Map.entry(138, new Function("FWRITE", 2)), Map.entry(139, new Function("FPOS", -1)),
            Map.entry(145, new Function("GET.DEF", -1)), Map.entry(146, new Function("REFTEXT", -1)),
            Map.entry(147, new Function("TEXTREF", -1)), Map.entry(149, new Function("REGISTER", -1)),
            Map.entry(151, new Function("ADD.BAR", -1)), Map.entry(152, new Function("ADD.MENU", -1)),
            Map.entry(153, new Function("ADD.COMMAND", -1)), Map.entry(161, new Function("DIALOG.BOX", 1)),
            Map.entry(166, new Function("FILES", -1)), Map.entry(171, new Function("FOR", -1)),
            Map.entry(172, new Function("WHILE", 1)), Map.entry(173, new Function("BREAK", 0)),
            Map.entry(174, new Function("NEXT", 0)), Map.entry(175, new Function("INITIATE", 2)),
            Map.entry(176, new Function("REQUEST", 2)), Map.entry(177, new Function("POKE", 3)),
            Map.entry(178, new Function("EXECUTE", 2)), Map.entry(179, new Function("TERMINATE", 1)),
            Map.entry(201, new Function("UNREGISTER", 1)), Map.entry(223, new Function("ELSE", 0)),
            Map.entry(224, new Function("ELSE.IF", 1)), Map.entry(226, new Function("FOR.CELL", -1)),
            Map.entry(236, new Function("CREATE.OBJECT", -1)), Map.entry(237, new Function("VOLATILE", -1)),
            Map.entry(242, new Function("GET.LINK.INFO", -1)), Map.entry(246, new Function("GET.OBJECT", -1)),
            Map.entry(248, new Function("PAUSE", -1)), Map.entry(251, new Function("RESUME", -1)));
    /**
     * Longest text one expression may render to. Excel's formulas hold at most 8,192 characters;
     * the bound keeps a hostile expression of operators joining long names from costing time
     * quadratic in its length.
     */
    static final int MAX_TEXT = 16_384;
    /** FuncVar's id for a call of a name (a user-defined or registered function) given as first argument. */
    private static final int USER_DEFINED = 255;
    private static final String[] ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"};
    private static final int[] ERROR_CODES = {0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A};
    private static final String[] OPERATORS = {"+", "-", "*", "/", "^", "&", "<", "<=", "=", ">=", ">", "<>", " ",
        ",", ":"};

    private final List<String> names;
    private final boolean biff8;

    private FormulaTokens(List<String> names, boolean biff8) {
        this.names = names;
        this.biff8 = biff8;
    }

    /** For .xlsb; {@code names}: the workbook's defined names in record order (a PtgName counts from 1). */
    static FormulaTokens biff12(List<String> names) {
        return new FormulaTokens(names, false);
    }

    /** For .xls (BIFF8): 2-byte rows and columns, strings of 8-bit or UTF-16 characters. */
    static FormulaTokens biff8(List<String> names) {
        return new FormulaTokens(names, true);
    }

    /** A function id's name and its fixed argument count, -1 for a variable one. */
    private record Function(String name, int arguments) {
    }

    /** Thrown inside {@link #render} when the expression cannot be decoded further. */
    private static final class Undecodable extends Exception {
        private static final long serialVersionUID = 1L;

        Undecodable() {
            super(null, null, false, false);
        }
    }

    /** The formula text of the {@code length} bytes of {@code rgce} at {@code offset} in {@code bytes}. */
    String render(byte[] bytes, int offset, int length) {
        Tokens in = new Tokens(bytes, offset, length);
        Deque<String> stack = new ArrayDeque<>();
        List<String> seen = new ArrayList<>();
        try {
            while (in.remaining() > 0) {
                token(in, stack, seen);
                if (!stack.isEmpty() && stack.peek().length() > MAX_TEXT) {
                    throw new Undecodable();
                }
            }
            if (stack.size() != 1) {
                throw new Undecodable();
            }
            return stack.pop();
        } catch (Undecodable e) {
            StringJoiner parts = new StringJoiner(" ");
            int total = 0;
            for (String part : seen) {
                total += part.length() + 1;
                if (total > MAX_TEXT) {
                    break;
                }
                parts.add(part);
            }
            parts.add("#UNREADABLE");
            return parts.toString();
        }
    }

    private void token(Tokens in, Deque<String> stack, List<String> seen) throws Undecodable {
        int ptg = in.u8();
        if (ptg >= 0x03 && ptg <= 0x11) {
            String right = pop(stack);
            stack.push(pop(stack) + OPERATORS[ptg - 0x03] + right);
            return;
        }
        switch (ptg) {
            case 0x01 -> {
                // PtgExp: the cell shares the formula of a BrtShrFmla/BrtArrFmla, read there.
                in.skip(4);
                stack.push("#SHARED");
            }
            case 0x12 -> stack.push("+" + pop(stack));
            case 0x13 -> stack.push("-" + pop(stack));
            case 0x14 -> stack.push(pop(stack) + "%");
            case 0x15 -> stack.push("(" + pop(stack) + ")");
            case 0x16 -> stack.push("");
            case 0x17 -> {
                String text = '"' + string(in).replace("\"", "\"\"") + '"';
                seen.add(text);
                stack.push(text);
            }
            case 0x18, 0x38, 0x58, 0x78 -> extended(in, stack);
            case 0x19 -> attribute(in, stack, seen);
            case 0x1C -> stack.push(error(in.u8()));
            case 0x1D -> stack.push(in.u8() != 0 ? "TRUE" : "FALSE");
            case 0x1E -> stack.push(Integer.toString(in.u16()));
            case 0x1F -> stack.push(number(in.float64()));
            default -> {
                if (ptg < 0x20 || ptg > 0x7F) {
                    throw new Undecodable();
                }
                classified(0x20 | (ptg & 0x1F), in, stack, seen);
            }
        }
    }

    /** The tokens with a value class (reference, value, array) in bits 5 and 6. */
    private void classified(int base, Tokens in, Deque<String> stack, List<String> seen) throws Undecodable {
        switch (base) {
            case 0x20 -> {
                in.skip(biff8 ? 7 : 14);   // PtgArray: its values are in rgcb
                stack.push("{ARRAY}");
            }
            case 0x21 -> {
                int id = in.u16();
                Function function = function(id, false);
                call(function, function.arguments(), stack, seen);
            }
            case 0x22 -> {
                int arguments = in.u8() & 0x7F;
                int tab = in.u16();
                boolean command = (tab & 0x8000) != 0;
                int id = tab & 0x7FFF;
                if (id == USER_DEFINED && !command) {
                    List<String> values = pop(stack, arguments);
                    if (values.isEmpty()) {
                        throw new Undecodable();
                    }
                    String call = values.getFirst() + "(" + String.join(",", values.subList(1, values.size())) + ")";
                    seen.add(values.getFirst() + "()");
                    stack.push(call);
                } else {
                    call(function(id, command), arguments, stack, seen);
                }
            }
            case 0x23 -> {
                int index = biff8 ? in.u16() : in.i32();
                if (biff8) {
                    in.skip(2);
                }
                stack.push(index >= 1 && index <= names.size() ? names.get(index - 1) : "#NAME");
            }
            case 0x24, 0x2C -> stack.push(cell(row(in), in.u16()));
            case 0x25, 0x2D -> {
                int firstRow = row(in);
                int lastRow = row(in);
                int firstColumn = in.u16();
                stack.push(cell(firstRow, firstColumn) + ":" + cell(lastRow, in.u16()));
            }
            case 0x26, 0x27, 0x28 -> in.skip(6);   // PtgMem*: the tokens of their subexpression follow
            case 0x29, 0x2E -> in.skip(2);
            case 0x2A -> {
                in.skip(biff8 ? 4 : 6);
                stack.push("#REF!");
            }
            case 0x2B -> {
                in.skip(biff8 ? 8 : 12);
                stack.push("#REF!");
            }
            case 0x39 -> {
                in.skip(6);   // PtgNameX: a name of another workbook or an add-in
                stack.push("#EXTERNAL");
            }
            case 0x3A -> {
                in.skip(2);
                stack.push("Sheet!" + cell(row(in), in.u16()));
            }
            case 0x3B -> {
                in.skip(2);
                int firstRow = row(in);
                int lastRow = row(in);
                int firstColumn = in.u16();
                stack.push("Sheet!" + cell(firstRow, firstColumn) + ":" + cell(lastRow, in.u16()));
            }
            case 0x3C -> {
                in.skip(biff8 ? 6 : 8);
                stack.push("#REF!");
            }
            case 0x3D -> {
                in.skip(biff8 ? 10 : 14);
                stack.push("#REF!");
            }
            default -> throw new Undecodable();
        }
    }

    /** A row: 4 bytes in BIFF12, 2 in BIFF8. */
    private int row(Tokens in) throws Undecodable {
        return biff8 ? in.u16() : in.i32();
    }

    /** PtgStr: BIFF12 a 2-byte count of UTF-16 units; BIFF8 a 1-byte count and a flag for UTF-16 or 8-bit characters. */
    private String string(Tokens in) throws Undecodable {
        if (!biff8) {
            return in.utf16(in.u16());
        }
        int chars = in.u8();
        if ((in.u8() & 0x01) != 0) {
            return in.utf16(chars);
        }
        StringBuilder text = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            text.append((char) in.u8());
        }
        return text.toString();
    }

    /** PtgAttr: control tokens; only the SUM shortcut computes something. */
    private static void attribute(Tokens in, Deque<String> stack, List<String> seen) throws Undecodable {
        int kind = in.u8();
        int data = in.u16();
        if ((kind & 0x04) != 0) {
            in.skip(2 * (data + 1));   // PtgAttrChoose: its jump table
        }
        if ((kind & 0x10) != 0) {
            seen.add("SUM()");
            stack.push("SUM(" + pop(stack) + ")");
        }
    }

    /** The 0x18 tokens of [MS-XLSB] 2.5.97.17: structured table references and PivotTable names. */
    private void extended(Tokens in, Deque<String> stack) throws Undecodable {
        if (biff8) {
            throw new Undecodable();   // BIFF8's PtgElf* and PtgSxName: not in macro sheets
        }
        switch (in.u8()) {
            case 0x19 -> in.skip(12);
            case 0x1D -> in.skip(4);
            default -> throw new Undecodable();
        }
        stack.push("#TABLE");
    }

    /** A call of {@code function} with the {@code arguments} topmost values; a PtgFunc of a variable count cannot be read. */
    private static void call(Function function, int arguments, Deque<String> stack, List<String> seen)
            throws Undecodable {
        if (arguments < 0) {
            throw new Undecodable();
        }
        seen.add(function.name() + "()");
        stack.push(function.name() + "(" + String.join(",", pop(stack, arguments)) + ")");
    }

    private static Function function(int id, boolean command) {
        FunctionMetadata metadata = command ? FunctionMetadataRegistry.getCetabFunctionByIndex(id)
                : FunctionMetadataRegistry.getFunctionByIndex(id);
        if (metadata != null) {
            return new Function(metadata.getName(),
                    metadata.hasFixedArgsLength() ? metadata.getMinParams() : -1);
        }
        Function macro = command ? null : MACRO_FUNCTIONS.get(id);
        return macro != null ? macro : new Function((command ? "#COMMAND" : "#FUNCTION") + id, -1);
    }

    private static String pop(Deque<String> stack) throws Undecodable {
        if (stack.isEmpty()) {
            throw new Undecodable();
        }
        return stack.pop();
    }

    private static List<String> pop(Deque<String> stack, int count) throws Undecodable {
        if (count > stack.size()) {
            throw new Undecodable();
        }
        String[] values = new String[count];
        for (int i = count - 1; i >= 0; i--) {
            values[i] = stack.pop();
        }
        return List.of(values);
    }

    /** A1 notation; bit 14 of the column word marks a relative column, bit 15 a relative row. */
    private static String cell(int row, int column) {
        StringBuilder text = new StringBuilder();
        if ((column & 0x4000) == 0) {
            text.append('$');
        }
        StringBuilder letters = new StringBuilder();
        for (int n = (column & 0x3FFF) + 1; n > 0; n = (n - 1) / 26) {
            letters.append((char) ('A' + (n - 1) % 26));
        }
        text.append(letters.reverse());
        if ((column & 0x8000) == 0) {
            text.append('$');
        }
        return text.append(Integer.toUnsignedLong(row) + 1).toString();
    }

    private static String error(int code) {
        for (int i = 0; i < ERROR_CODES.length; i++) {
            if (ERROR_CODES[i] == code) {
                return ERRORS[i];
            }
        }
        return "#ERROR";
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** The bytes of one expression; reading past its end means it cannot be decoded. */
    private static final class Tokens {
        private final byte[] bytes;
        private final int end;
        private int position;

        Tokens(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.position = offset;
            this.end = offset + length;
        }

        int remaining() {
            return end - position;
        }

        int u8() throws Undecodable {
            need(1);
            return bytes[position++] & 0xFF;
        }

        int u16() throws Undecodable {
            int low = u8();
            return low | u8() << 8;
        }

        int i32() throws Undecodable {
            int low = u16();
            return low | u16() << 16;
        }

        double float64() throws Undecodable {
            long low = i32() & 0xFFFFFFFFL;
            return Double.longBitsToDouble(low | (i32() & 0xFFFFFFFFL) << 32);
        }

        String utf16(int chars) throws Undecodable {
            need(2 * chars);
            String text = new String(bytes, position, 2 * chars, StandardCharsets.UTF_16LE);
            position += 2 * chars;
            return text;
        }

        void skip(int count) throws Undecodable {
            need(count);
            position += count;
        }

        private void need(int count) throws Undecodable {
            if (count > end - position) {
                throw new Undecodable();
            }
        }
    }
}
