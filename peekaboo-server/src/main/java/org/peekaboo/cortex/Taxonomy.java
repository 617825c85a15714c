package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a report's {@code summary.taxonomies}. {@code value} is kept as text because
 * analyzers send numbers as well as strings there.
 */
record Taxonomy(String level, String namespace, String predicate, String value) {

    /** All taxonomies; a summary that is {@code {}} or missing (an analyzer's summary failed) has none. */
    static List<Taxonomy> from(JsonNode report) {
        List<Taxonomy> taxonomies = new ArrayList<>();
        for (JsonNode entry : report.path("summary").path("taxonomies")) {
            taxonomies.add(new Taxonomy(text(entry, "level"), text(entry, "namespace"), text(entry, "predicate"),
                    text(entry, "value")));
        }
        return taxonomies;
    }

    static Optional<Taxonomy> find(List<Taxonomy> taxonomies, String namespace, String predicate) {
        return taxonomies.stream()
                .filter(t -> namespace.equalsIgnoreCase(t.namespace()) && predicate.equalsIgnoreCase(t.predicate()))
                .findFirst();
    }

    private static String text(JsonNode entry, String field) {
        JsonNode node = entry.path(field);
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
