package org.peekaboo.sample.magic;

import java.util.regex.Pattern;

/**
 * Which characters a regular expression's match can begin with, found from the expression's
 * first element when that is a single mandatory character or character class. Tika tries an
 * expression at every start of an offset range (up to 8,192 of them); knowing the opening
 * characters lets all other starts be skipped without running the matcher.
 *
 * <p>The analysis is deliberately shallow and errs towards "don't know" (null): anything
 * but a plain character, a simple escape or a class without nesting as the first element,
 * an element that may occur zero times, a top-level alternative, or comment or literal mode
 * gives up. The set itself is not guessed but computed by the expression's own first
 * element, compiled with the expression's flags, so it is exact for what it covers.
 */
final class RegexOpening {
    private RegexOpening() {
    }

    /** A table over the characters 0–255, true where a match may begin; null when unknown. */
    static boolean[] firstChars(Pattern regex) {
        int flags = regex.flags();
        if ((flags & (Pattern.COMMENTS | Pattern.LITERAL | Pattern.CANON_EQ)) != 0) {
            return null;
        }
        String text = regex.pattern();
        if (!hasOnlyInnerAlternatives(text)) {
            return null;
        }
        int at = 0;
        StringBuilder inlineFlags = new StringBuilder();
        while (text.startsWith("(?", at)) {
            int close = text.indexOf(')', at);
            if (close < 0 || !text.substring(at + 2, close).matches("[a-wyzA-Z-]+")) {
                return null; // a group, a look-around, or comment mode: not a plain opening
            }
            inlineFlags.append(text, at, close + 1);
            at = close + 1;
        }
        if (at < text.length() && text.charAt(at) == '^') {
            at++; // zero-width at the region's start, which is where every try begins
        }
        int atomEnd = atomEnd(text, at);
        if (atomEnd < 0 || atomEnd < text.length() && "?*{".indexOf(text.charAt(atomEnd)) >= 0) {
            return null;
        }
        Pattern first = Pattern.compile(inlineFlags + text.substring(at, atomEnd), flags);
        boolean[] table = new boolean[256];
        for (int c = 0; c < 256; c++) {
            table[c] = first.matcher(String.valueOf((char) c)).matches();
        }
        return table;
    }

    /** Where the single-character element starting at {@code at} ends, or -1 if it is not one. */
    private static int atomEnd(String text, int at) {
        if (at >= text.length()) {
            return -1;
        }
        char c = text.charAt(at);
        if (c == '[') {
            return classEnd(text, at);
        }
        if (c == '\\') {
            return escapeEnd(text, at);
        }
        if (".()|?*+{}$^]".indexOf(c) >= 0 || Character.isSurrogate(c)) {
            return -1;
        }
        return at + 1;
    }

    private static int classEnd(String text, int at) {
        int i = at + 1;
        if (i < text.length() && text.charAt(i) == '^') {
            i++;
        }
        if (i < text.length() && text.charAt(i) == ']') {
            return -1;
        }
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 >= text.length() || text.charAt(i + 1) == 'Q') {
                    return -1;
                }
                i += 2;
            } else if (c == '[' || c == '&' && i + 1 < text.length() && text.charAt(i + 1) == '&') {
                return -1; // nested classes and intersections: leave them alone
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int escapeEnd(String text, int at) {
        if (at + 1 >= text.length()) {
            return -1;
        }
        char c = text.charAt(at + 1);
        if (c == 'x') {
            return at + 2 < text.length() && text.charAt(at + 2) == '{' ? -1 : at + 4;
        }
        if (c == 'u') {
            return at + 6;
        }
        if ("tnrfaedDsSwWhHvV".indexOf(c) >= 0) {
            return at + 2;
        }
        if (!Character.isLetterOrDigit(c)) {
            return at + 2; // an escaped punctuation character stands for itself
        }
        return -1; // boundaries, back references, properties, quoting …
    }

    /** False when a '|' outside every group and class makes the first element optional. */
    private static boolean hasOnlyInnerAlternatives(String text) {
        int depth = 0;
        int classDepth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 < text.length() && text.charAt(i + 1) == 'Q') {
                    return false;
                }
                i++;
            } else if (classDepth > 0) {
                if (c == '[') {
                    classDepth++;
                } else if (c == ']') {
                    classDepth--;
                }
            } else if (c == '[') {
                classDepth++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return false;
            }
        }
        return true;
    }
}
