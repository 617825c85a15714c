package org.peekaboo.ruleset;

import java.util.Set;

/**
 * A report that expressions look into by attribute name ({@code olereport.has_office_macros},
 * {@code cortexreport.FileInfoReport}). Attribute values are {@link String}, {@link Long},
 * {@link Double}, {@link Boolean}, {@link org.peekaboo.verdict.Result}, {@link java.util.List},
 * {@link java.util.Set}, another {@code ReportObject}, or {@code null} for Python's {@code None}.
 */
public interface ReportObject {

    /** The names {@link #attribute} answers, for validating expressions at start-up. */
    Set<String> attributeNames();

    /**
     * The attribute's value. May do expensive work (a Cortex report is fetched on first
     * access) and may fail; failures make the rule that asked {@code failed}.
     *
     * @throws UnknownAttributeException if {@code name} is not one of {@link #attributeNames()}
     */
    Object attribute(String name) throws Exception;

    /** Thrown for an attribute a report does not have: a configuration error, not a sample's fault. */
    final class UnknownAttributeException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnknownAttributeException(String report, String attribute) {
            super(report + " has no attribute '" + attribute + "'");
        }
    }
}
