package org.peekaboo.ruleset.expression;

import static org.peekaboo.ruleset.expression.Values.asDouble;
import static org.peekaboo.ruleset.expression.Values.asLong;
import static org.peekaboo.ruleset.expression.Values.isInteger;
import static org.peekaboo.ruleset.expression.Values.isNumber;
import static org.peekaboo.ruleset.expression.Values.typeName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.peekaboo.ruleset.expression.Expr.BinaryOperator;
import org.peekaboo.ruleset.expression.Expr.ComparisonOperator;
import org.peekaboo.ruleset.expression.Expr.UnaryOperator;
import org.peekaboo.verdict.Result;

/**
 * What the operators do, with Python's semantics: true division, floor division and a
 * modulo that takes the divisor's sign, set algebra on sets, and the regular expression
 * rules of PeekabooAV for {@code ==}, {@code !=}, {@code in} and {@code not in}. Integers
 * are 64 bits: where Python would grow a big integer, evaluation fails instead.
 */
final class Operators {
    /** Longest string or list {@code *} may build; a typo must not exhaust the heap. */
    static final int MAX_REPEATED_LENGTH = 1 << 20;

    private Operators() {
    }

    static Object unary(UnaryOperator operator, Object value) throws EvaluationException {
        if (operator == UnaryOperator.INVERT ? isInteger(value) : isNumber(value)) {
            return switch (operator) {
                case PLUS -> value instanceof Boolean ? asLong(value) : value;
                case MINUS -> value instanceof Double d ? -d : exact(() -> Math.negateExact(asLong(value)));
                case INVERT -> ~asLong(value);
            };
        }
        throw new EvaluationException("bad operand type for unary " + operator.symbol + ": '" + typeName(value) + "'");
    }

    static Object binary(BinaryOperator operator, Object left, Object right) throws EvaluationException {
        Object result = switch (operator) {
            case ADD -> add(left, right);
            case SUBTRACT -> subtract(left, right);
            case MULTIPLY -> multiply(left, right);
            case DIVIDE -> divide(left, right);
            case FLOOR_DIVIDE -> floorDivide(left, right);
            case MODULO -> modulo(left, right);
            case POWER -> power(left, right);
            case SHIFT_LEFT, SHIFT_RIGHT -> shift(operator, left, right);
            case BIT_AND, BIT_OR, BIT_XOR -> bitwise(operator, left, right);
        };
        if (result == null) {
            throw new EvaluationException("unsupported operand types for " + operator.symbol + ": '"
                    + typeName(left) + "' and '" + typeName(right) + "'");
        }
        return result;
    }

    private static Object add(Object left, Object right) throws EvaluationException {
        if (isInteger(left) && isInteger(right)) {
            return exact(() -> Math.addExact(asLong(left), asLong(right)));
        }
        if (isNumber(left) && isNumber(right)) {
            return asDouble(left) + asDouble(right);
        }
        if (left instanceof String a && right instanceof String b) {
            return a + b;
        }
        if (left instanceof List<?> a && right instanceof List<?> b) {
            List<Object> joined = new ArrayList<>(a);
            joined.addAll(b);
            return Collections.unmodifiableList(joined);
        }
        return null;
    }

    private static Object subtract(Object left, Object right) throws EvaluationException {
        if (isInteger(left) && isInteger(right)) {
            return exact(() -> Math.subtractExact(asLong(left), asLong(right)));
        }
        if (isNumber(left) && isNumber(right)) {
            return asDouble(left) - asDouble(right);
        }
        if (left instanceof Set<?> a && right instanceof Set<?> b) {
            return Values.setOf(a.stream().filter(element -> !Values.containsEqual(b, element)).toList());
        }
        return null;
    }

    private static Object multiply(Object left, Object right) throws EvaluationException {
        if (isInteger(left) && isInteger(right)) {
            return exact(() -> Math.multiplyExact(asLong(left), asLong(right)));
        }
        if (isNumber(left) && isNumber(right)) {
            return asDouble(left) * asDouble(right);
        }
        if (isInteger(right) && (left instanceof String || left instanceof List<?>)) {
            return repeat(left, asLong(right));
        }
        if (isInteger(left) && (right instanceof String || right instanceof List<?>)) {
            return repeat(right, asLong(left));
        }
        return null;
    }

    private static Object repeat(Object sequence, long times) throws EvaluationException {
        long count = Math.max(times, 0);
        int length = sequence instanceof String s ? s.length() : ((List<?>) sequence).size();
        if (length > 0 && count > MAX_REPEATED_LENGTH / length) {
            throw new EvaluationException("repeating a " + typeName(sequence) + " of length " + length + " "
                    + times + " times exceeds " + MAX_REPEATED_LENGTH + " elements");
        }
        if (sequence instanceof String s) {
            return s.repeat((int) count);
        }
        List<Object> repeated = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            repeated.addAll((List<?>) sequence);
        }
        return Collections.unmodifiableList(repeated);
    }

    private static Object divide(Object left, Object right) throws EvaluationException {
        if (!isNumber(left) || !isNumber(right)) {
            return null;
        }
        double divisor = asDouble(right);
        if (divisor == 0) {
            throw new EvaluationException("division by zero");
        }
        return asDouble(left) / divisor;
    }

    private static Object floorDivide(Object left, Object right) throws EvaluationException {
        if (isInteger(left) && isInteger(right)) {
            long divisor = nonZero(asLong(right));
            long dividend = asLong(left);
            if (dividend == Long.MIN_VALUE && divisor == -1) {
                throw new EvaluationException("integer overflow");
            }
            return Math.floorDiv(dividend, divisor);
        }
        if (isNumber(left) && isNumber(right)) {
            double divisor = asDouble(right);
            if (divisor == 0) {
                throw new EvaluationException("division by zero");
            }
            return Math.floor(asDouble(left) / divisor);
        }
        return null;
    }

    private static Object modulo(Object left, Object right) throws EvaluationException {
        if (isInteger(left) && isInteger(right)) {
            return Math.floorMod(asLong(left), nonZero(asLong(right)));
        }
        if (isNumber(left) && isNumber(right)) {
            double divisor = asDouble(right);
            if (divisor == 0) {
                throw new EvaluationException("modulo by zero");
            }
            double remainder = asDouble(left) % divisor;
            if (remainder != 0 && (remainder < 0) != (divisor < 0)) {
                remainder += divisor;
            }
            return remainder == 0 ? Math.copySign(0.0, divisor) : remainder;
        }
        return null;
    }

    private static Object power(Object left, Object right) throws EvaluationException {
        if (!isNumber(left) || !isNumber(right)) {
            return null;
        }
        if (isInteger(left) && isInteger(right) && asLong(right) >= 0) {
            long base = asLong(left);
            long exponent = asLong(right);
            if (base == 0 || base == 1) {
                return exponent == 0 ? 1L : base;
            }
            if (base == -1) {
                return exponent % 2 == 0 ? 1L : -1L;
            }
            // |base| >= 2 overflows within 63 multiplications, so the loop stays short.
            long result = 1;
            for (long i = 0; i < exponent; i++) {
                long factor = result;
                result = exact(() -> Math.multiplyExact(factor, base));
            }
            return result;
        }
        double base = asDouble(left);
        double exponent = asDouble(right);
        if (base == 0 && exponent < 0) {
            throw new EvaluationException("0 cannot be raised to a negative power");
        }
        if (base < 0 && exponent != Math.rint(exponent)) {
            throw new EvaluationException("a negative number raised to a fractional power is complex");
        }
        return Math.pow(base, exponent);
    }

    private static Object shift(BinaryOperator operator, Object left, Object right) throws EvaluationException {
        if (!isInteger(left) || !isInteger(right)) {
            return null;
        }
        long value = asLong(left);
        long count = asLong(right);
        if (count < 0) {
            throw new EvaluationException("negative shift count");
        }
        if (operator == BinaryOperator.SHIFT_RIGHT) {
            return count >= 64 ? (value < 0 ? -1L : 0L) : value >> count;
        }
        if (value == 0) {
            return 0L;
        }
        if (count >= 63 || (value << count) >> count != value) {
            throw new EvaluationException("integer overflow");
        }
        return value << count;
    }

    private static Object bitwise(BinaryOperator operator, Object left, Object right) throws EvaluationException {
        if (left instanceof Boolean a && right instanceof Boolean b) {
            return switch (operator) {
                case BIT_AND -> a & b;
                case BIT_OR -> a | b;
                default -> a ^ b;
            };
        }
        if (isInteger(left) && isInteger(right)) {
            long a = asLong(left);
            long b = asLong(right);
            return switch (operator) {
                case BIT_AND -> a & b;
                case BIT_OR -> a | b;
                default -> a ^ b;
            };
        }
        if (left instanceof Set<?> a && right instanceof Set<?> b) {
            List<Object> members = new ArrayList<>();
            switch (operator) {
                case BIT_AND -> a.stream().filter(element -> Values.containsEqual(b, element)).forEach(members::add);
                case BIT_OR -> {
                    members.addAll(a);
                    members.addAll(b);
                }
                default -> {
                    a.stream().filter(element -> !Values.containsEqual(b, element)).forEach(members::add);
                    b.stream().filter(element -> !Values.containsEqual(a, element)).forEach(members::add);
                }
            }
            return Values.setOf(members);
        }
        return null;
    }

    /** One comparison of a chain. */
    static boolean compare(ComparisonOperator operator, Object left, Object right) throws EvaluationException {
        return switch (operator) {
            case EQUAL -> equal(left, right);
            case NOT_EQUAL -> !equal(left, right);
            case IN -> right != null && contains(right, left);
            // Like PeekabooAV: nothing is "not in" None either, so a missing report never matches.
            case NOT_IN -> right != null && !contains(right, left);
            case IS -> same(left, right);
            case IS_NOT -> !same(left, right);
            case IS_DISJOINT -> disjoint(left, right);
            case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> order(operator, left, right);
        };
    }

    /** {@code ==}: a regex (or a collection with regexes) on either side full-matches the other side. */
    private static boolean equal(Object left, Object right) throws EvaluationException {
        if (hasRegex(left) && hasRegex(right)) {
            // Regexes on both sides: compare what is written, there is no text to match.
            return Values.equal(left, right);
        }
        if (hasRegex(right)) {
            return equal(right, left);
        }
        if (left instanceof Regex regex) {
            return anyMatch(regex, right, true);
        }
        if (left instanceof Collection<?> patterns && hasRegex(left)) {
            for (Object element : patterns) {
                if (element instanceof Regex regex ? anyMatch(regex, right, true) : Values.equal(element, right)) {
                    return true;
                }
            }
            return false;
        }
        return Values.equal(left, right);
    }

    /** {@code item in container}; a regex on either side searches the other side. */
    private static boolean contains(Object container, Object item) throws EvaluationException {
        if (item instanceof Regex regex) {
            return anyMatch(regex, container, false);
        }
        if (item instanceof Collection<?> patterns && hasRegex(item)) {
            for (Object element : patterns) {
                if (element instanceof Regex regex ? anyMatch(regex, container, false) : contains(container, element)) {
                    return true;
                }
            }
            return false;
        }
        return switch (container) {
            case Regex regex -> anyMatch(regex, item, false);
            case Collection<?> elements -> {
                for (Object element : elements) {
                    if (element instanceof Regex regex ? anyMatch(regex, item, false) : Values.equal(element, item)) {
                        yield true;
                    }
                }
                yield false;
            }
            case String text when item instanceof String part -> text.contains(part);
            case String text -> throw new EvaluationException("'in <str>' requires a str on the left, not '"
                    + typeName(item) + "'");
            default -> throw new EvaluationException("'in' needs a str, list or set on the right, not '"
                    + typeName(container) + "'");
        };
    }

    /**
     * Whether {@code regex} matches {@code subject}, or any element of it if it is a list or
     * set. None (and a None element) never matches; other types cannot be matched.
     */
    private static boolean anyMatch(Regex regex, Object subject, boolean whole) throws EvaluationException {
        if (subject instanceof Collection<?> elements) {
            for (Object element : elements) {
                if (element != null && matches(regex, element, whole)) {
                    return true;
                }
            }
            return false;
        }
        return subject != null && matches(regex, subject, whole);
    }

    private static boolean matches(Regex regex, Object subject, boolean whole) throws EvaluationException {
        if (subject instanceof String text) {
            return whole ? regex.fullMatch(text) : regex.search(text);
        }
        throw new EvaluationException("regular expression " + regex + " cannot match a '" + typeName(subject) + "'");
    }

    private static boolean hasRegex(Object value) {
        if (value instanceof Regex) {
            return true;
        }
        if (value instanceof Collection<?> elements) {
            for (Object element : elements) {
                if (element instanceof Regex) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code is}: the singletons None, True, False and the results are the same when equal;
     * anything else only when it is the very same object (as in Python, where {@code is}
     * on strings and numbers is not to be relied on).
     */
    private static boolean same(Object left, Object right) {
        if (left == null || right == null) {
            return left == right;
        }
        if (left instanceof Boolean || left instanceof Result) {
            return left.equals(right);
        }
        return left == right;
    }

    private static boolean disjoint(Object left, Object right) throws EvaluationException {
        if (!(left instanceof Set<?> set)) {
            throw new EvaluationException("isdisjoint needs a set on the left, not '" + typeName(left) + "'");
        }
        if (!(right instanceof Collection<?> other)) {
            throw new EvaluationException("isdisjoint needs a list or set on the right, not '" + typeName(right) + "'");
        }
        for (Object element : other) {
            if (Values.containsEqual(set, element)) {
                return false;
            }
        }
        return true;
    }

    private static boolean order(ComparisonOperator operator, Object left, Object right) throws EvaluationException {
        if (left instanceof Set<?> a && right instanceof Set<?> b) {
            return switch (operator) {
                case LESS_EQUAL -> Values.containsAll(b, a);
                case LESS -> a.size() < b.size() && Values.containsAll(b, a);
                case GREATER_EQUAL -> Values.containsAll(a, b);
                default -> a.size() > b.size() && Values.containsAll(a, b);
            };
        }
        int order = compareOrdered(operator, left, right);
        return switch (operator) {
            case LESS -> order < 0;
            case LESS_EQUAL -> order <= 0;
            case GREATER -> order > 0;
            default -> order >= 0;
        };
    }

    private static int compareOrdered(ComparisonOperator operator, Object left, Object right)
            throws EvaluationException {
        if (isInteger(left) && isInteger(right)) {
            return Long.compare(asLong(left), asLong(right));
        }
        if (isNumber(left) && isNumber(right)) {
            return Double.compare(asDouble(left), asDouble(right));
        }
        if (left instanceof String a && right instanceof String b) {
            return compareCodePoints(a, b);
        }
        if (left instanceof Result a && right instanceof Result b) {
            return a.compareTo(b);
        }
        if (left instanceof List<?> a && right instanceof List<?> b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (!Values.equal(a.get(i), b.get(i))) {
                    return compareOrdered(operator, a.get(i), b.get(i));
                }
            }
            return Integer.compare(a.size(), b.size());
        }
        throw new EvaluationException("'" + operator.symbol + "' is not supported between '" + typeName(left)
                + "' and '" + typeName(right) + "'");
    }

    /** Python orders strings by code point; Java's compareTo by UTF-16 unit. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static long nonZero(long divisor) throws EvaluationException {
        if (divisor == 0) {
            throw new EvaluationException("integer division or modulo by zero");
        }
        return divisor;
    }

    @FunctionalInterface
    private interface LongOperation {
        long apply();
    }

    private static long exact(LongOperation operation) throws EvaluationException {
        try {
            return operation.apply();
        } catch (ArithmeticException e) {
            throw new EvaluationException("integer overflow");
        }
    }
}
