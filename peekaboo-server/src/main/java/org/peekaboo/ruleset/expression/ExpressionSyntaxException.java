package org.peekaboo.ruleset.expression;

/**
 * An expression that cannot be parsed. The message names the column and shows the
 * expression's line with a caret under the spot, so an operator can find a typo in a
 * long multi-line expression.
 */
public final class ExpressionSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;
    private final String problem;

    ExpressionSyntaxException(String expression, int offset, String problem) {
        super(describe(expression, offset, problem));
        this.column = offset + 1;
        this.problem = problem;
    }

    /** 1-based position of the problem in the expression text (a line break counts as one character). */
    public int column() {
        return column;
    }

    /** The problem without position and excerpt. */
    public String problem() {
        return problem;
    }

    private static String describe(String expression, int offset, String problem) {
        int at = Math.min(Math.max(offset, 0), expression.length());
        int lineStart = expression.lastIndexOf('\n', at - 1) + 1;
        int lineEnd = expression.indexOf('\n', at);
        String line = expression.substring(lineStart, lineEnd < 0 ? expression.length() : lineEnd);
        StringBuilder caret = new StringBuilder();
        for (int i = lineStart; i < at; i++) {
            // keep tabs so that the caret lines up under the same character
            caret.append(expression.charAt(i) == '\t' ? '\t' : ' ');
        }
        return "column " + (offset + 1) + ": " + problem + "\n    " + line + "\n    " + caret + "^";
    }
}
