package org.peekaboo.ruleset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.peekaboo.ruleset.ReportObject.UnknownAttributeException;

/**
 * The attributes of one kind of report, each read from the report by a function: one
 * table answers {@link ReportObject#attributeNames()}, {@link ReportObject#attribute} and
 * the {@link ReportShape}, so the three cannot disagree.
 */
final class AttributeTable<T> {
    private final String report;
    private final Map<String, Function<T, Object>> getters;

    private AttributeTable(String report, Map<String, Function<T, Object>> getters) {
        this.report = report;
        this.getters = Collections.unmodifiableMap(new LinkedHashMap<>(getters));
    }

    static <T> Builder<T> builder(String report) {
        return new Builder<>(report);
    }

    Set<String> names() {
        return getters.keySet();
    }

    Object get(T owner, String name) throws UnknownAttributeException {
        Function<T, Object> getter = getters.get(name);
        if (getter == null) {
            throw new UnknownAttributeException(report, name);
        }
        return getter.apply(owner);
    }

    ReportShape shape() {
        return ReportShape.reportOf(names());
    }

    static final class Builder<T> {
        private final String report;
        private final Map<String, Function<T, Object>> getters = new LinkedHashMap<>();

        private Builder(String report) {
            this.report = report;
        }

        Builder<T> with(String name, Function<T, Object> getter) {
            getters.put(name, getter);
            return this;
        }

        AttributeTable<T> build() {
            return new AttributeTable<>(report, getters);
        }
    }
}
