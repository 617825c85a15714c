package org.peekaboo.ruleset.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peekaboo.ruleset.ReportObject;
import org.peekaboo.ruleset.ReportShape;

/**
 * A report with fixed attribute values (null allowed) whose attributes may instead fail
 * like an analysis that broke; records every attribute asked for.
 */
public final class FakeReport implements ReportObject {
    private final String name;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Exception> failures = new LinkedHashMap<>();
    private final List<String> asked = new ArrayList<>();

    public FakeReport(String name) {
        this.name = name;
    }

    public FakeReport with(String attribute, Object value) {
        values.put(attribute, value);
        return this;
    }

    /** {@code attribute} exists but fails when asked for. */
    public FakeReport failing(String attribute, Exception failure) {
        failures.put(attribute, failure);
        return this;
    }

    public List<String> asked() {
        return List.copyOf(asked);
    }

    /** This report's attributes; nested reports described as reports. */
    public ReportShape shape() {
        Map<String, ReportShape> attributes = new LinkedHashMap<>();
        values.forEach((attribute, value) -> attributes.put(attribute, switch (value) {
            case FakeReport nested -> nested.shape();
            case ReportObject nested -> ReportShape.reportOf(nested.attributeNames());
            case null, default -> ReportShape.value();
        }));
        failures.keySet().forEach(attribute -> attributes.put(attribute, ReportShape.unchecked()));
        return ReportShape.report(attributes);
    }

    @Override
    public Set<String> attributeNames() {
        Set<String> names = new java.util.LinkedHashSet<>(values.keySet());
        names.addAll(failures.keySet());
        return Collections.unmodifiableSet(names);
    }

    @Override
    public Object attribute(String attribute) throws Exception {
        asked.add(attribute);
        if (failures.containsKey(attribute)) {
            throw failures.get(attribute);
        }
        if (!values.containsKey(attribute)) {
            throw new UnknownAttributeException(name, attribute);
        }
        return values.get(attribute);
    }

    @Override
    public String toString() {
        return name;
    }
}
