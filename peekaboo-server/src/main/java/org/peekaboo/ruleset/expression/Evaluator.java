package org.peekaboo.ruleset.expression;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;

/**
 * Evaluates expressions for one sample. Operands are evaluated left to right and only as
 * far as needed: {@code and}, {@code or} and comparison chains stop at the first operand
 * that decides them, so a report named only in a branch that is not taken is never
 * computed.
 */
public final class Evaluator {
    private final Identifiers identifiers;

    public Evaluator(Identifiers identifiers) {
        this.identifiers = Objects.requireNonNull(identifiers, "identifiers");
    }

    /** Whether the condition holds, Python's truth of its value. */
    public boolean holds(Expr condition) throws EvaluationException, ReportUnavailableException {
        return Values.truthy(evaluate(condition));
    }

    /**
     * The expression's value: {@code null} for None, {@link Boolean}, {@link Long},
     * {@link Double}, {@link String}, {@link Regex}, {@link org.peekaboo.verdict.Result},
     * {@link List}, {@link java.util.Set} or {@link ReportObject}.
     */
    public Object evaluate(Expr expr) throws EvaluationException, ReportUnavailableException {
        return switch (expr) {
            case Expr.Constant constant -> constant.value();
            case Expr.Path path -> path(path);
            case Expr.ListDisplay list -> Collections.unmodifiableList(all(list.elements()));
            case Expr.SetDisplay set -> Values.setOf(all(set.elements()).stream().filter(Objects::nonNull).toList());
            case Expr.Unary unary -> Operators.unary(unary.operator(), evaluate(unary.operand()));
            case Expr.Not not -> !holds(not.operand());
            case Expr.Binary binary -> Operators.binary(binary.operator(), evaluate(binary.left()),
                    evaluate(binary.right()));
            case Expr.Comparison comparison -> comparison(comparison);
            case Expr.Logical logical -> logical(logical);
        };
    }

    private List<Object> all(List<Expr> elements) throws EvaluationException, ReportUnavailableException {
        List<Object> values = new ArrayList<>(elements.size());
        for (Expr element : elements) {
            values.add(evaluate(element));
        }
        return values;
    }

    private boolean comparison(Expr.Comparison comparison) throws EvaluationException, ReportUnavailableException {
        Object left = evaluate(comparison.operands().getFirst());
        for (int i = 0; i < comparison.operators().size(); i++) {
            Object right = evaluate(comparison.operands().get(i + 1));
            if (!Operators.compare(comparison.operators().get(i), left, right)) {
                return false;
            }
            left = right;
        }
        return true;
    }

    private boolean logical(Expr.Logical logical) throws EvaluationException, ReportUnavailableException {
        for (Expr operand : logical.operands()) {
            if (holds(operand) != logical.and()) {
                return !logical.and();
            }
        }
        return logical.and();
    }

    private Object path(Expr.Path path) throws EvaluationException, ReportUnavailableException {
        Object value;
        try {
            value = identifiers.value(path.identifier());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportUnavailableException(path.identifier(), e);
        } catch (Exception e) {
            throw new ReportUnavailableException(path.identifier(), e);
        }
        StringBuilder walked = new StringBuilder(path.identifier());
        for (String attribute : path.attributes()) {
            if (!(value instanceof ReportObject report)) {
                throw new EvaluationException(walked + " is " + Values.typeName(value) + " and has no attribute '"
                        + attribute + "'");
            }
            String reportPath = walked.toString();
            walked.append('.').append(attribute);
            try {
                value = report.attribute(attribute);
            } catch (UnknownAttributeException e) {
                throw new EvaluationException(reportPath + " has no attribute '" + attribute + "'");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReportUnavailableException(walked.toString(), e);
            } catch (Exception e) {
                throw new ReportUnavailableException(walked.toString(), e);
            }
            value = Values.fromReport(walked.toString(), value);
        }
        return value;
    }
}
