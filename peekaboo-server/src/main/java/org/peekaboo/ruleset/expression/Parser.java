package org.peekaboo.ruleset.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peekaboo.ruleset.expression.Expr.BinaryOperator;
import org.peekaboo.ruleset.expression.Expr.ComparisonOperator;
import org.peekaboo.ruleset.expression.Expr.UnaryOperator;
import org.peekaboo.ruleset.expression.Token.Kind;
import org.peekaboo.verdict.Result;

/**
 * Recursive descent over PeekabooAV's operator table, one method per precedence level,
 * lowest first: {@code ->}, {@code or}, {@code and}, {@code not}, comparisons, {@code |},
 * {@code ^}, {@code &}, shifts, {@code + -}, {@code * / // %}, unary {@code + - ~},
 * {@code **}. All binary levels are left-associative except {@code **}, which groups from
 * the right as PeekabooAV evaluates it (and as Python does).
 */
public final class Parser {
    /** Words that are part of the grammar and cannot name a report. */
    static final Set<String> RESERVED = Set.of("True", "False", "None", "and", "or", "not", "in", "is",
            "isdisjoint", "bad", "fail", "good", "ignore", "unknown");
    private static final Map<String, Result> RESULTS = Map.of("bad", Result.BAD, "fail", Result.FAILED,
            "good", Result.GOOD, "ignore", Result.IGNORED, "unknown", Result.UNKNOWN);
    private static final Map<String, ComparisonOperator> COMPARISONS = Map.of(
            "<", ComparisonOperator.LESS, "<=", ComparisonOperator.LESS_EQUAL, ">", ComparisonOperator.GREATER,
            ">=", ComparisonOperator.GREATER_EQUAL, "==", ComparisonOperator.EQUAL,
            "!=", ComparisonOperator.NOT_EQUAL);

    private final String text;
    private final List<Token> tokens;
    private int index;

    private Parser(String text) throws ExpressionSyntaxException {
        this.text = text;
        this.tokens = Lexer.tokens(text);
    }

    /** Parses {@code condition -> target}, the form the expressions rule accepts. */
    static Implication parseImplication(String text) throws ExpressionSyntaxException {
        Parser parser = new Parser(text);
        Expr condition = parser.or();
        Token arrow = parser.peek();
        if (!arrow.isOperator("->")) {
            if (arrow.kind() == Kind.END) {
                throw parser.error(arrow, "Malformed expression, missing implication: write condition -> result");
            }
            throw parser.unexpected(arrow);
        }
        parser.index++;
        Expr target = parser.target();
        parser.expectEnd();
        return new Implication(condition, target, text);
    }

    /** Parses an expression without {@code ->}, e.g. to evaluate it on its own. */
    public static Expr parseExpression(String text) throws ExpressionSyntaxException {
        Parser parser = new Parser(text);
        Expr expr = parser.or();
        parser.expectEnd();
        return expr;
    }

    private void expectEnd() throws ExpressionSyntaxException {
        Token token = peek();
        if (token.isOperator("->")) {
            throw error(token, "'->' may only stand once, between the whole condition and its result");
        }
        if (token.kind() != Kind.END) {
            throw unexpected(token);
        }
    }

    private Expr target() throws ExpressionSyntaxException {
        Token token = peek();
        if (token.kind() == Kind.WORD && RESULTS.containsKey(token.text())) {
            index++;
            return new Expr.Constant(RESULTS.get(token.text()), column(token));
        }
        if (token.kind() == Kind.WORD && !RESERVED.contains(token.text())) {
            return path();
        }
        throw error(token, "after '->' expected a result (bad, fail, good, ignore, unknown) or an identifier"
                + " path such as knownreport.worst_result, found " + token.describe());
    }

    private Expr or() throws ExpressionSyntaxException {
        return logical("or", false);
    }

    private Expr and() throws ExpressionSyntaxException {
        return logical("and", true);
    }

    private Expr logical(String word, boolean isAnd) throws ExpressionSyntaxException {
        Expr first = isAnd ? not() : and();
        if (!peek().isWord(word)) {
            return first;
        }
        int column = column(peek());
        List<Expr> operands = new ArrayList<>(List.of(first));
        while (peek().isWord(word)) {
            index++;
            operands.add(isAnd ? not() : and());
        }
        return new Expr.Logical(isAnd, operands, column);
    }

    private Expr not() throws ExpressionSyntaxException {
        Token token = peek();
        if (token.isWord("not")) {
            index++;
            return new Expr.Not(not(), column(token));
        }
        return comparison();
    }

    private Expr comparison() throws ExpressionSyntaxException {
        Expr first = bitOr();
        List<Expr> operands = new ArrayList<>(List.of(first));
        List<ComparisonOperator> operators = new ArrayList<>();
        int column = column(peek());
        ComparisonOperator operator;
        while ((operator = comparisonOperator()) != null) {
            operators.add(operator);
            operands.add(bitOr());
        }
        return operators.isEmpty() ? first : new Expr.Comparison(operands, operators, column);
    }

    /** Consumes a comparison operator (one or two words) if one comes next. */
    private ComparisonOperator comparisonOperator() throws ExpressionSyntaxException {
        Token token = peek();
        if (token.kind() == Kind.OPERATOR && COMPARISONS.containsKey(token.text())) {
            index++;
            return COMPARISONS.get(token.text());
        }
        if (token.kind() != Kind.WORD) {
            return null;
        }
        switch (token.text()) {
            case "in" -> {
                index++;
                return ComparisonOperator.IN;
            }
            case "isdisjoint" -> {
                index++;
                return ComparisonOperator.IS_DISJOINT;
            }
            case "is" -> {
                index++;
                if (peek().isWord("not")) {
                    index++;
                    return ComparisonOperator.IS_NOT;
                }
                return ComparisonOperator.IS;
            }
            case "not" -> {
                Token following = tokens.get(index + 1);
                if (!following.isWord("in")) {
                    throw error(token, "'not' after an operand must be followed by 'in'");
                }
                index += 2;
                return ComparisonOperator.NOT_IN;
            }
            default -> {
                return null;
            }
        }
    }

    private Expr bitOr() throws ExpressionSyntaxException {
        Expr left = bitXor();
        while (peek().isOperator("|")) {
            Token operator = next();
            left = new Expr.Binary(BinaryOperator.BIT_OR, left, bitXor(), column(operator));
        }
        return left;
    }

    private Expr bitXor() throws ExpressionSyntaxException {
        Expr left = bitAnd();
        while (peek().isOperator("^")) {
            Token operator = next();
            left = new Expr.Binary(BinaryOperator.BIT_XOR, left, bitAnd(), column(operator));
        }
        return left;
    }

    private Expr bitAnd() throws ExpressionSyntaxException {
        Expr left = shift();
        while (peek().isOperator("&")) {
            Token operator = next();
            left = new Expr.Binary(BinaryOperator.BIT_AND, left, shift(), column(operator));
        }
        return left;
    }

    private Expr shift() throws ExpressionSyntaxException {
        Expr left = sum();
        while (peek().isOperator("<<") || peek().isOperator(">>")) {
            Token operator = next();
            BinaryOperator op = operator.text().equals("<<") ? BinaryOperator.SHIFT_LEFT : BinaryOperator.SHIFT_RIGHT;
            left = new Expr.Binary(op, left, sum(), column(operator));
        }
        return left;
    }

    private Expr sum() throws ExpressionSyntaxException {
        Expr left = term();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token operator = next();
            BinaryOperator op = operator.text().equals("+") ? BinaryOperator.ADD : BinaryOperator.SUBTRACT;
            left = new Expr.Binary(op, left, term(), column(operator));
        }
        return left;
    }

    private Expr term() throws ExpressionSyntaxException {
        Expr left = unary();
        while (true) {
            BinaryOperator op = switch (peek().kind() == Kind.OPERATOR ? peek().text() : "") {
                case "*" -> BinaryOperator.MULTIPLY;
                case "/" -> BinaryOperator.DIVIDE;
                case "//" -> BinaryOperator.FLOOR_DIVIDE;
                case "%" -> BinaryOperator.MODULO;
                default -> null;
            };
            if (op == null) {
                return left;
            }
            Token operator = next();
            left = new Expr.Binary(op, left, unary(), column(operator));
        }
    }

    private Expr unary() throws ExpressionSyntaxException {
        Token token = peek();
        UnaryOperator op = switch (token.kind() == Kind.OPERATOR ? token.text() : "") {
            case "+" -> UnaryOperator.PLUS;
            case "-" -> UnaryOperator.MINUS;
            case "~" -> UnaryOperator.INVERT;
            default -> null;
        };
        if (op == null) {
            return power();
        }
        index++;
        return new Expr.Unary(op, unary(), column(token));
    }

    /** {@code a ** b ** c} is {@code a ** (b ** c)}; the operands are atoms, so {@code 2 ** -1} needs parentheses. */
    private Expr power() throws ExpressionSyntaxException {
        Expr base = atom();
        if (!peek().isOperator("**")) {
            return base;
        }
        Token operator = next();
        return new Expr.Binary(BinaryOperator.POWER, base, power(), column(operator));
    }

    private Expr atom() throws ExpressionSyntaxException {
        Token token = peek();
        int column = column(token);
        switch (token.kind()) {
            case INTEGER, REAL, STRING, REGEX -> {
                index++;
                return new Expr.Constant(token.value(), column);
            }
            case WORD -> {
                switch (token.text()) {
                    case "True" -> {
                        index++;
                        return new Expr.Constant(Boolean.TRUE, column);
                    }
                    case "False" -> {
                        index++;
                        return new Expr.Constant(Boolean.FALSE, column);
                    }
                    case "None" -> {
                        index++;
                        return new Expr.Constant(null, column);
                    }
                    default -> {
                        if (RESULTS.containsKey(token.text())) {
                            index++;
                            return new Expr.Constant(RESULTS.get(token.text()), column);
                        }
                        if (RESERVED.contains(token.text())) {
                            throw error(token, "expected an operand, found '" + token.text() + "'");
                        }
                        return path();
                    }
                }
            }
            case OPERATOR -> {
                switch (token.text()) {
                    case "(" -> {
                        index++;
                        Expr inner = or();
                        expect(")", token);
                        return inner;
                    }
                    case "[" -> {
                        index++;
                        return new Expr.ListDisplay(elements("]", token), column);
                    }
                    case "{" -> {
                        index++;
                        return new Expr.SetDisplay(elements("}", token), column);
                    }
                    default -> throw error(token, "expected an operand, found " + token.describe());
                }
            }
            default -> throw error(token, "expected an operand, found " + token.describe());
        }
    }

    private List<Expr> elements(String close, Token open) throws ExpressionSyntaxException {
        List<Expr> elements = new ArrayList<>();
        if (peek().isOperator(close)) {
            index++;
            return elements;
        }
        elements.add(or());
        while (peek().isOperator(",")) {
            index++;
            elements.add(or());
        }
        expect(close, open);
        return elements;
    }

    private Expr path() throws ExpressionSyntaxException {
        Token first = next();
        List<String> attributes = new ArrayList<>();
        while (peek().isOperator(".")) {
            index++;
            Token attribute = peek();
            if (attribute.kind() != Kind.WORD) {
                throw error(attribute, "expected an attribute name after '.', found " + attribute.describe());
            }
            index++;
            attributes.add(attribute.text());
        }
        return new Expr.Path(first.text(), attributes, column(first));
    }

    private void expect(String operator, Token opening) throws ExpressionSyntaxException {
        Token token = peek();
        if (!token.isOperator(operator)) {
            throw error(token, "expected '" + operator + "' to close '" + opening.text() + "' of column "
                    + column(opening) + ", found " + token.describe());
        }
        index++;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        return tokens.get(index++);
    }

    private ExpressionSyntaxException unexpected(Token token) {
        return error(token, "unexpected " + token.describe() + "; expected an operator");
    }

    private ExpressionSyntaxException error(Token token, String problem) {
        return new ExpressionSyntaxException(text, token.offset(), problem);
    }

    private static int column(Token token) {
        return token.offset() + 1;
    }
}
