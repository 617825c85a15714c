package org.peekaboo.ruleset.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed expression: an immutable tree. Every node knows the 1-based column where it
 * starts (for an operator node: where its operator stands), for messages.
 */
public sealed interface Expr {
    int column();

    /** {@code True}, {@code None}, {@code 3}, {@code 2.5}, {@code 'text'}, {@code /re/}, {@code bad}. */
    record Constant(Object value, int column) implements Expr {
    }

    /** {@code [a, b]}. */
    record ListDisplay(List<Expr> elements, int column) implements Expr {
        public ListDisplay {
            elements = List.copyOf(elements);
        }
    }

    /** {@code {a, b}}; {@code {}} is the empty set. */
    record SetDisplay(List<Expr> elements, int column) implements Expr {
        public SetDisplay {
            elements = List.copyOf(elements);
        }
    }

    /** {@code identifier.attribute.attribute}: a report and what to look up in it. */
    record Path(String identifier, List<String> attributes, int column) implements Expr {
        public Path {
            Objects.requireNonNull(identifier, "identifier");
            attributes = List.copyOf(attributes);
        }

        /** The path as written, e.g. {@code cortexreport.FileInfoReport}. */
        public String text() {
            return attributes.isEmpty() ? identifier : identifier + "." + String.join(".", attributes);
        }
    }

    /** {@code -x}, {@code +x}, {@code ~x}. */
    record Unary(UnaryOperator operator, Expr operand, int column) implements Expr {
    }

    /** {@code not x}. */
    record Not(Expr operand, int column) implements Expr {
    }

    /** Arithmetic, bitwise and set operators. */
    record Binary(BinaryOperator operator, Expr left, Expr right, int column) implements Expr {
    }

    /** {@code a < b <= c}: {@code operators.get(i)} stands between operand i and i + 1. */
    record Comparison(List<Expr> operands, List<ComparisonOperator> operators, int column) implements Expr {
        public Comparison {
            operands = List.copyOf(operands);
            operators = List.copyOf(operators);
            if (operands.size() != operators.size() + 1 || operators.isEmpty()) {
                throw new IllegalArgumentException("a comparison needs one operand more than operators");
            }
        }
    }

    /** {@code a and b and c} or {@code a or b or c}. */
    record Logical(boolean and, List<Expr> operands, int column) implements Expr {
        public Logical {
            operands = List.copyOf(operands);
        }
    }

    enum UnaryOperator {
        PLUS("+"), MINUS("-"), INVERT("~");

        final String symbol;

        UnaryOperator(String symbol) {
            this.symbol = symbol;
        }
    }

    enum BinaryOperator {
        POWER("**"), MULTIPLY("*"), DIVIDE("/"), FLOOR_DIVIDE("//"), MODULO("%"), ADD("+"), SUBTRACT("-"),
        SHIFT_LEFT("<<"), SHIFT_RIGHT(">>"), BIT_AND("&"), BIT_XOR("^"), BIT_OR("|");

        final String symbol;

        BinaryOperator(String symbol) {
            this.symbol = symbol;
        }
    }

    enum ComparisonOperator {
        LESS("<"), LESS_EQUAL("<="), GREATER(">"), GREATER_EQUAL(">="), EQUAL("=="), NOT_EQUAL("!="),
        IS_DISJOINT("isdisjoint"), IS("is"), IS_NOT("is not"), IN("in"), NOT_IN("not in");

        final String symbol;

        ComparisonOperator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** Every identifier path in {@code expr}, in the order they are written. */
    static List<Path> paths(Expr expr) {
        List<Path> paths = new ArrayList<>();
        collectPaths(expr, paths);
        return paths;
    }

    private static void collectPaths(Expr expr, List<Path> paths) {
        switch (expr) {
            case Path path -> paths.add(path);
            case Constant constant -> {
            }
            case ListDisplay list -> list.elements().forEach(element -> collectPaths(element, paths));
            case SetDisplay set -> set.elements().forEach(element -> collectPaths(element, paths));
            case Unary unary -> collectPaths(unary.operand(), paths);
            case Not not -> collectPaths(not.operand(), paths);
            case Binary binary -> {
                collectPaths(binary.left(), paths);
                collectPaths(binary.right(), paths);
            }
            case Comparison comparison -> comparison.operands().forEach(operand -> collectPaths(operand, paths));
            case Logical logical -> logical.operands().forEach(operand -> collectPaths(operand, paths));
        }
    }
}
