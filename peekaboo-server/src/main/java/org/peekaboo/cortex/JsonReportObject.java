package org.peekaboo.cortex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peekaboo.ruleset.ReportObject;

/**
 * A JSON object of a report (e.g. HybridAnalysis's {@code full}) for expressions: each field is
 * an attribute, with numbers, strings, booleans, lists and nested objects as the rules know them.
 */
public final class JsonReportObject implements ReportObject {
    private final String name;
    private final Map<String, Object> fields;

    private JsonReportObject(String name, Map<String, Object> fields) {
        this.name = name;
        this.fields = fields;
    }

    /** The value expressions see for a JSON node; {@code null} for JSON null and missing nodes. */
    static Object valueOf(String name, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), valueOf(name + "." + field.getKey(), field.getValue()));
            }
            return new JsonReportObject(name, fields);
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(valueOf(name, item));
            }
            return java.util.Collections.unmodifiableList(items);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    @Override
    public Set<String> attributeNames() {
        return java.util.Collections.unmodifiableSet(fields.keySet());
    }

    @Override
    public Object attribute(String attribute) throws UnknownAttributeException {
        if (!fields.containsKey(attribute)) {
            throw new UnknownAttributeException(name, attribute);
        }
        return fields.get(attribute);
    }

    @Override
    public String toString() {
        return name + fields.keySet();
    }
}
