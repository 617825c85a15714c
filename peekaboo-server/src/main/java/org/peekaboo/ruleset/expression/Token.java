package org.peekaboo.ruleset.expression;

/**
 * One lexical token of an expression.
 *
 * @param kind   what it is
 * @param text   as written (for strings and regexes: the decoded content)
 * @param value  the literal's value for numbers, strings and regexes, else null
 * @param offset 0-based position of its first character in the expression
 */
record Token(Kind kind, String text, Object value, int offset) {
    enum Kind { INTEGER, REAL, STRING, REGEX, WORD, OPERATOR, END }

    boolean is(Kind expected, String expectedText) {
        return kind == expected && text.equals(expectedText);
    }

    boolean isOperator(String operator) {
        return is(Kind.OPERATOR, operator);
    }

    boolean isWord(String word) {
        return is(Kind.WORD, word);
    }

    /** How the token is named in messages. */
    String describe() {
        return switch (kind) {
            case END -> "the end of the expression";
            case STRING -> "a string";
            case REGEX -> "a regular expression";
            default -> "'" + text + "'";
        };
    }
}
