package org.peekaboo.ruleset.expression;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.verdict.Result;

/**
 * The values expressions work with and Python's notions of truth, equality and type names
 * for them: {@code null} (None), {@link Boolean}, {@link Long}, {@link Double},
 * {@link String}, {@link Regex}, {@link Result}, {@link List}, {@link Set} and
 * {@link ReportObject}. As in Python, a boolean counts as the integer 0 or 1 in arithmetic
 * and comparisons.
 */
final class Values {
    private Values() {
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            default -> true;
        };
    }

    /** Python's type name, for messages. */
    static String typeName(Object value) {
        return switch (value) {
            case null -> "None";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case Regex r -> "regex";
            case Result r -> "result";
            case List<?> l -> "list";
            case Set<?> s -> "set";
            case ReportObject r -> "report";
            default -> value.getClass().getSimpleName();
        };
    }

    /** The value written as in an expression, for messages. */
    static String repr(Object value) {
        return switch (value) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case String s -> "'" + s + "'";
            case List<?> l -> "[" + String.join(", ", l.stream().map(Values::repr).toList()) + "]";
            case Set<?> s -> s.isEmpty() ? "set()" : "{" + String.join(", ", s.stream().map(Values::repr).toList()) + "}";
            case ReportObject r -> "report";
            default -> String.valueOf(value);
        };
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double || value instanceof Boolean;
    }

    static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof Boolean;
    }

    /** An integer or boolean as a long. */
    static long asLong(Object value) {
        return value instanceof Boolean b ? (b ? 1 : 0) : (Long) value;
    }

    static double asDouble(Object value) {
        return value instanceof Double d ? d : asLong(value);
    }

    /** Python's {@code ==} without the regex rules (those belong to the comparison). */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isInteger(a) && isInteger(b)) {
                return asLong(a) == asLong(b);
            }
            return asDouble(a) == asDouble(b);
        }
        if (a instanceof List<?> left && b instanceof List<?> right) {
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!equal(left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Set<?> left && b instanceof Set<?> right) {
            return left.size() == right.size() && containsAll(right, left);
        }
        return a.equals(b);
    }

    /** Whether {@code collection} has an element equal to {@code value} in Python's sense. */
    static boolean containsEqual(Collection<?> collection, Object value) {
        for (Object element : collection) {
            if (equal(element, value)) {
                return true;
            }
        }
        return false;
    }

    static boolean containsAll(Collection<?> container, Collection<?> elements) {
        for (Object element : elements) {
            if (!containsEqual(container, element)) {
                return false;
            }
        }
        return true;
    }

    /** A set of {@code elements}; Python's set drops elements equal to earlier ones (1 and 1.0 and True). */
    static Set<Object> setOf(Collection<?> elements) throws EvaluationException {
        List<Object> members = new ArrayList<>();
        for (Object element : elements) {
            if (element instanceof Collection<?>) {
                throw new EvaluationException("unhashable type: '" + typeName(element) + "' cannot be a set member");
            }
            if (!containsEqual(members, element)) {
                members.add(element);
            }
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(members));
    }

    /**
     * A value a report returned, in the expression's types: other integer and floating
     * types widened, collections copied (and their elements converted), patterns wrapped.
     */
    static Object fromReport(String path, Object value) throws EvaluationException {
        return switch (value) {
            case null -> null;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case String s -> s;
            case Result r -> r;
            case Regex r -> r;
            case Pattern p -> new Regex(p.pattern(), p);
            case ReportObject r -> r;
            case Set<?> set -> setOf(converted(path, set));
            case Collection<?> list -> Collections.unmodifiableList(converted(path, list));
            default -> throw new EvaluationException(path + " has a value of a type expressions cannot use: "
                    + value.getClass().getName());
        };
    }

    private static List<Object> converted(String path, Collection<?> elements) throws EvaluationException {
        List<Object> converted = new ArrayList<>(elements.size());
        for (Object element : elements) {
            converted.add(fromReport(path, element));
        }
        return converted;
    }
}
