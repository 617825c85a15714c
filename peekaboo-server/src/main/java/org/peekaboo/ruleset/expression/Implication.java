package org.peekaboo.ruleset.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole configured expression, {@code condition -> target}: when the condition holds,
 * the target (a result or an identifier path such as {@code knownreport.worst_result})
 * is what the expression says about the sample.
 *
 * @param text the expression as configured
 */
public record Implication(Expr condition, Expr target, String text) {
    public Implication {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(text, "text");
        if (!(target instanceof Expr.Path || target instanceof Expr.Constant)) {
            throw new IllegalArgumentException("an implication yields a result or a path, not " + target);
        }
    }

    /** Parses a configured expression; it must have {@code ->} at its top level. */
    public static Implication parse(String text) throws ExpressionSyntaxException {
        return Parser.parseImplication(text);
    }

    /** Every identifier path the expression uses, condition first. */
    public List<Expr.Path> paths() {
        List<Expr.Path> paths = new ArrayList<>(Expr.paths(condition));
        paths.addAll(Expr.paths(target));
        return paths;
    }
}
