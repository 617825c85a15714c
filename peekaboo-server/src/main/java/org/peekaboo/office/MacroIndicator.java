package org.peekaboo.office;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.peekaboo.ruleset.MacroBehaviour;

/**
 * One sign of what a macro does, found in its prepared source.
 *
 * @param name        the name reported, e.g. {@code URLDownloadToFile}
 * @param description what it means
 * @param behaviour   the kind of behaviour it shows
 * @param test        whether the source shows it
 */
record MacroIndicator(String name, String description, MacroBehaviour behaviour, Predicate<VbaText> test) {
    private static final String WORD_START = "(?<![A-Za-z0-9_])";
    private static final String WORD_END = "(?![A-Za-z0-9_])";

    MacroIndicator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(test, "test");
    }

    /** Where a regex is searched: calls outside strings, ProgIDs anywhere in code, commands inside strings. */
    enum View { BARE, CODE, LITERALS }

    /** An indicator found by a case-insensitive regex starting at a word boundary. */
    static MacroIndicator regex(MacroBehaviour behaviour, String name, String description, View view, String regex) {
        Pattern pattern = Pattern.compile(WORD_START + "(?:" + regex + ")", Pattern.CASE_INSENSITIVE);
        return new MacroIndicator(name, description, behaviour, text -> pattern.matcher(switch (view) {
            case BARE -> text.bare();
            case CODE -> text.code();
            case LITERALS -> text.literalText();
        }).find());
    }

    /** The name as a whole word, literally. */
    static MacroIndicator word(MacroBehaviour behaviour, String name, String description, View view) {
        return regex(behaviour, name, description, view, Pattern.quote(name) + WORD_END);
    }

    /** {@code "name: description"}, the form the report lists. */
    String finding() {
        return name + ": " + description;
    }
}
