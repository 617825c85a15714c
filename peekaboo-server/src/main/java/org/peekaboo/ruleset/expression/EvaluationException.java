package org.peekaboo.ruleset.expression;

/**
 * An expression that cannot be evaluated for this sample, e.g. {@code 'a' - 1} or an
 * attribute looked up on {@code None}. The expressions rule answers it with {@code failed}.
 */
public final class EvaluationException extends Exception {
    private static final long serialVersionUID = 1L;

    public EvaluationException(String message) {
        super(message);
    }
}
