package org.peekaboo.ruleset.expression;

/**
 * Where the evaluator gets the value of a top-level identifier ({@code sample},
 * {@code cortexreport}, …). Asked only when an evaluated branch of the expression uses
 * the identifier, so expensive reports are computed only when they decide something.
 */
@FunctionalInterface
public interface Identifiers {

    /** The identifier's value; may compute a report and fail doing so. */
    Object value(String identifier) throws Exception;
}
