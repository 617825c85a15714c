package org.peekaboo.office;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VBA source prepared for matching: line continuations joined, comments removed, and three
 * views of what is left. Triggers and calls are matched on {@link #bare()}, where string
 * literals are emptied, so that a comment or a message mentioning {@code AutoOpen} or
 * {@code Shell} does not count; ProgIDs and command lines live inside strings
 * ({@code CreateObject("WScript.Shell")}), so they are matched on {@link #code()} or
 * {@link #literals()}.
 *
 * @param code       statements without comments, strings kept, one per line
 * @param bare       the same with every string literal reduced to {@code ""}
 * @param literals   the content of every string literal, in order
 * @param statements the statements of {@link #bare()}, lines also split at {@code :}
 * @param codeLines  lines of {@link #code()} that are code: not blank, no {@code Attribute}
 *                   or {@code Option} line
 */
record VbaText(String code, String bare, List<String> literals, List<String> statements, int codeLines) {
    private static final Pattern CONTINUATION = Pattern.compile("[ \\t]_[ \\t]*\\r?\\n");
    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|\\r|\\n");
    /** Lines Office writes into every module, even one nobody typed into. */
    private static final Pattern NOT_CODE = Pattern.compile("\\s*(?:Attribute|Option)\\s.*", Pattern.CASE_INSENSITIVE);
    /** A statement separator; {@code :=} is a named argument, not a separator. */
    private static final Pattern SEPARATOR = Pattern.compile(":(?!=)");
    private static final Pattern DECLARATION = Pattern.compile(
            "(?:(?:Public|Private|Friend|Static)\\s+)*(?:Sub|Function)\\s+([A-Za-z][A-Za-z0-9_]*)",
            Pattern.CASE_INSENSITIVE);

    VbaText {
        literals = List.copyOf(literals);
        statements = List.copyOf(statements);
    }

    /** Prepares {@code source}, the modules' text as stored. */
    static VbaText of(String source) {
        String joined = CONTINUATION.matcher(source).replaceAll(" ");
        StringBuilder code = new StringBuilder(joined.length());
        StringBuilder bare = new StringBuilder(joined.length());
        List<String> literals = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        int codeLines = 0;
        for (String line : LINE_BREAK.split(joined, -1)) {
            int lineStart = code.length();
            int bareStart = bare.length();
            strip(line, code, bare, literals);
            String codeLine = code.substring(lineStart);
            if (!codeLine.isBlank() && !NOT_CODE.matcher(codeLine).matches()) {
                codeLines++;
            }
            for (String statement : SEPARATOR.split(bare.substring(bareStart))) {
                if (!statement.isBlank()) {
                    statements.add(statement.strip());
                }
            }
            code.append('\n');
            bare.append('\n');
        }
        return new VbaText(code.toString(), bare.toString(), literals, statements, codeLines);
    }

    /** True if some module holds a statement Office did not write by itself. */
    boolean hasCode() {
        return codeLines > 0;
    }

    /** The string literals, one per line, for keywords that only mean something inside a string. */
    String literalText() {
        return String.join("\n", literals);
    }

    /** Appends {@code line} without its comment to {@code code}, and with emptied strings to {@code bare}. */
    private static void strip(String line, StringBuilder code, StringBuilder bare, List<String> literals) {
        boolean statementStart = true;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                int end = i + 1;
                StringBuilder literal = new StringBuilder();
                while (end < line.length()) {
                    if (line.charAt(end) == '"') {
                        if (end + 1 < line.length() && line.charAt(end + 1) == '"') {
                            literal.append('"');
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    literal.append(line.charAt(end++));
                }
                end = Math.min(end + 1, line.length());
                code.append(line, i, end);
                bare.append("\"\"");
                literals.add(literal.toString());
                i = end;
                statementStart = false;
                continue;
            }
            if (c == '\'' || statementStart && isRem(line, i)) {
                return;
            }
            if (c == ':') {
                statementStart = true;
            } else if (!Character.isWhitespace(c)) {
                statementStart = false;
            }
            code.append(c);
            bare.append(c);
            i++;
        }
    }

    private static boolean isRem(String line, int at) {
        return line.regionMatches(true, at, "rem", 0, 3)
                && (line.length() == at + 3 || Character.isWhitespace(line.charAt(at + 3)));
    }

    /** Names of the procedures declared ({@code [Public|Private|Friend] [Static] Sub|Function name}). */
    List<String> declaredProcedures() {
        List<String> names = new ArrayList<>();
        for (String statement : statements) {
            Matcher declaration = DECLARATION.matcher(statement);
            if (declaration.lookingAt()) {
                names.add(declaration.group(1));
            }
        }
        return names;
    }
}
