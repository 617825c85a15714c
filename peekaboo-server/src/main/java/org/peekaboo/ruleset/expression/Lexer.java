package org.peekaboo.ruleset.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.peekaboo.ruleset.expression.Token.Kind;

/**
 * Splits an expression into tokens. A slash is a division where an operator may stand and
 * starts a regular expression where an operand must stand, which is how the grammar tells
 * {@code a / b} from {@code /re/}.
 */
final class Lexer {
    private static final List<String> TWO_CHARACTER_OPERATORS =
            List.of("**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->");
    private static final String ONE_CHARACTER_OPERATORS = "+-~*/%&^|<>()[]{},.";
    /** Words after which an operand must follow. */
    private static final Set<String> OPERATOR_WORDS = Set.of("and", "or", "not", "in", "is", "isdisjoint");

    private final String text;
    private int position;
    private Token previous;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) throws ExpressionSyntaxException {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
            lexer.previous = token;
        } while (token.kind() != Kind.END);
        return tokens;
    }

    private Token next() throws ExpressionSyntaxException {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
        int start = position;
        if (position >= text.length()) {
            return new Token(Kind.END, "", null, start);
        }
        char c = text.charAt(position);
        if (isDigit(c)) {
            return number(start);
        }
        if (isLetter(c)) {
            while (position < text.length() && (isLetter(text.charAt(position)) || isDigit(text.charAt(position))
                    || text.charAt(position) == '_')) {
                position++;
            }
            return new Token(Kind.WORD, text.substring(start, position), null, start);
        }
        if (c == '\'' || c == '"') {
            return string(start, c);
        }
        if (c == '/' && operandExpected()) {
            return regex(start);
        }
        for (String operator : TWO_CHARACTER_OPERATORS) {
            if (text.startsWith(operator, position)) {
                position += 2;
                return new Token(Kind.OPERATOR, operator, null, start);
            }
        }
        if (ONE_CHARACTER_OPERATORS.indexOf(c) >= 0) {
            position++;
            return new Token(Kind.OPERATOR, String.valueOf(c), null, start);
        }
        throw new ExpressionSyntaxException(text, start, "unexpected character '" + c + "'");
    }

    private boolean operandExpected() {
        if (previous == null) {
            return true;
        }
        return switch (previous.kind()) {
            case INTEGER, REAL, STRING, REGEX -> false;
            case WORD -> OPERATOR_WORDS.contains(previous.text());
            case OPERATOR -> !List.of(")", "]", "}").contains(previous.text());
            case END -> true;
        };
    }

    private Token number(int start) throws ExpressionSyntaxException {
        skipDigits();
        boolean real = position + 1 < text.length() && text.charAt(position) == '.' && isDigit(text.charAt(position + 1));
        if (real) {
            position++;
            skipDigits();
            String digits = text.substring(start, position);
            return new Token(Kind.REAL, digits, Double.parseDouble(digits), start);
        }
        String digits = text.substring(start, position);
        try {
            return new Token(Kind.INTEGER, digits, Long.parseLong(digits), start);
        } catch (NumberFormatException e) {
            throw new ExpressionSyntaxException(text, start, "integer " + digits + " is too large (at most "
                    + Long.MAX_VALUE + ")");
        }
    }

    private void skipDigits() {
        while (position < text.length() && isDigit(text.charAt(position))) {
            position++;
        }
    }

    /** A quoted string: a backslash takes the next character literally, except for \n, \t, \r and \f. */
    private Token string(int start, char quote) throws ExpressionSyntaxException {
        StringBuilder value = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == quote) {
                return new Token(Kind.STRING, value.toString(), value.toString(), start);
            }
            if (c == '\\' && position < text.length()) {
                char escaped = text.charAt(position++);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'f' -> '\f';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        throw new ExpressionSyntaxException(text, start, "string is not closed with " + quote);
    }

    /**
     * A regular expression: {@code \/} stands for a slash, every other backslash sequence is
     * left to the regex engine ({@code \.}, {@code \d}, …).
     */
    private Token regex(int start) throws ExpressionSyntaxException {
        StringBuilder source = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '/') {
                return new Token(Kind.REGEX, source.toString(), compile(source.toString(), start), start);
            }
            if (c == '\\' && position < text.length()) {
                char escaped = text.charAt(position++);
                if (escaped != '/') {
                    source.append('\\');
                }
                source.append(escaped);
            } else {
                source.append(c);
            }
        }
        throw new ExpressionSyntaxException(text, start, "regular expression is not closed with /");
    }

    private Regex compile(String source, int start) throws ExpressionSyntaxException {
        // Python spells named groups (?P<name>...); Java knows them as (?<name>...).
        String javaSource = source.replace("(?P<", "(?<");
        try {
            return new Regex(source, Pattern.compile(javaSource));
        } catch (PatternSyntaxException e) {
            throw new ExpressionSyntaxException(text, start, "invalid regular expression /" + source + "/: "
                    + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
