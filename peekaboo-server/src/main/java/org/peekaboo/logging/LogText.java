package org.peekaboo.logging;

/**
 * Makes text safe for a log line. Clients choose file names, types, paths and whole request
 * lines; written raw, a line break forges a log line of its own and an ANSI escape rewrites the
 * operator's terminal. Every character that a terminal or a log reader would not show as itself
 * becomes a visible escape, and the backslash is doubled so that an escape cannot be faked.
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** {@code text} with control characters, line and paragraph separators, bidi controls and lone surrogates escaped. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                escaped.append(c).append(text.charAt(++i));
            } else if (needsEscape(c)) {
                appendEscape(escaped, c);
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (needsEscape(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'
                // Bidirectional overrides and isolates reorder what a reader sees after them.
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c' || c == '\ufeff'
                // A surrogate without its partner (the pair case is handled before) is no character:
                // an encoder would turn it into '?', hiding what was sent.
                || Character.isSurrogate(c);
    }

    private static void appendEscape(StringBuilder out, char c) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\0' -> out.append("\\0");
            case '\u001b' -> out.append("\\e");
            default -> {
                if (c <= 0xff) {
                    out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                }
            }
        }
    }
}
