package org.peekaboo.office;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A word in VBA source that says something about what the macro does, with the sentence
 * reported when it is found. Keywords match without regard to case (VBA ignores case) and
 * only as whole words: {@code Shell} matches {@code WScript.Shell} and {@code Shell "cmd"} but
 * not {@code ShellSort}.
 *
 * @param keyword     the name reported, e.g. {@code AutoOpen}
 * @param description what it means, e.g. "Runs when the Word document is opened"
 * @param pattern     what is searched for
 */
public record MacroKeyword(String keyword, String description, Pattern pattern) {
    private static final String WORD_START = "(?<![A-Za-z0-9_])";
    private static final String WORD_END = "(?![A-Za-z0-9_])";

    public MacroKeyword {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(pattern, "pattern");
    }

    /** The keyword as a whole word, literally. */
    public static MacroKeyword word(String keyword, String description) {
        return new MacroKeyword(keyword, description,
                Pattern.compile(WORD_START + Pattern.quote(keyword) + WORD_END, Pattern.CASE_INSENSITIVE));
    }

    /**
     * A keyword found by a regular expression that starts at a word boundary; where it ends
     * is the regex's business ({@code Chr(} ends inside a word).
     */
    public static MacroKeyword regex(String keyword, String description, String regex) {
        return new MacroKeyword(keyword, description,
                Pattern.compile(WORD_START + "(?:" + regex + ")", Pattern.CASE_INSENSITIVE));
    }

    /** {@code "keyword: description"}, the form the report lists. */
    public String finding() {
        return keyword + ": " + description;
    }

    /** The findings of those {@code keywords} that occur in {@code code}, in list order. */
    public static List<String> findIn(List<MacroKeyword> keywords, String code) {
        List<String> found = new ArrayList<>();
        for (MacroKeyword keyword : keywords) {
            if (keyword.pattern.matcher(code).find()) {
                found.add(keyword.finding());
            }
        }
        return found;
    }
}
