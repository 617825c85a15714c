package org.peekaboo.office;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.peekaboo.ruleset.MacroBehaviour;

/**
 * One sign of what an Excel 4 (XLM) macro does, found in the formulas of its macro sheets.
 * Kept apart from {@link MacroIndicator}: formulas have no VBA comments or statements, and a
 * quote in {@code 'Sheet 1'!A1} would read as a VBA comment.
 *
 * @param name        the name reported, e.g. {@code EXEC (Excel 4)}
 * @param description what it means
 * @param behaviour   the kind of behaviour it shows
 * @param test        whether the formulas show it
 */
record XlmIndicator(String name, String description, MacroBehaviour behaviour, Predicate<List<String>> test) {
    XlmIndicator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(test, "test");
    }

    /** {@code "name: description"}, the form the report lists. */
    String finding() {
        return name + ": " + description;
    }
}
