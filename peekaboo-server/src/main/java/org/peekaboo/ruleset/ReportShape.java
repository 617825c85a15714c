package org.peekaboo.ruleset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a report looks like to expressions, known before any sample arrives: which
 * attributes it has and which of them are reports again. The ruleset loader checks every
 * identifier path of every expression against it at start-up, so that
 * {@code olereport.has_office_macro} (a typo) stops the daemon instead of failing every
 * sample.
 */
public sealed interface ReportShape {

    /** A plain value (string, number, list, …): nothing can be looked up in it. */
    static ReportShape value() {
        return new Value();
    }

    /** A report whose attributes are all plain values. */
    static ReportShape reportOf(Set<String> valueAttributes) {
        Map<String, ReportShape> attributes = new LinkedHashMap<>();
        valueAttributes.forEach(name -> attributes.put(name, value()));
        return new Report(attributes);
    }

    /** A report with these attributes. */
    static ReportShape report(Map<String, ReportShape> attributes) {
        return new Report(attributes);
    }

    /** Not described: paths into it are only checked when a sample is judged. */
    static ReportShape unchecked() {
        return new Unchecked();
    }

    /**
     * What is wrong with looking up {@code attributes} one after the other, starting in a
     * report of this shape named {@code name}; empty if nothing is.
     */
    default Optional<String> problemWith(String name, List<String> attributes) {
        ReportShape shape = this;
        String walked = name;
        for (String attribute : attributes) {
            switch (shape) {
                case Unchecked unchecked -> {
                    return Optional.empty();
                }
                case Value plain -> {
                    return Optional.of(walked + " is a plain value and has no attribute '" + attribute + "'");
                }
                case Report report -> {
                    ReportShape next = report.attributes().get(attribute);
                    if (next == null) {
                        return Optional.of(walked + " has no attribute '" + attribute + "'; it has "
                                + String.join(", ", report.attributes().keySet()));
                    }
                    shape = next;
                }
            }
            walked = walked + "." + attribute;
        }
        return Optional.empty();
    }

    record Value() implements ReportShape {
    }

    /** @param attributes by name, in the order messages list them */
    record Report(Map<String, ReportShape> attributes) implements ReportShape {
        public Report {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }
    }

    record Unchecked() implements ReportShape {
    }
}
