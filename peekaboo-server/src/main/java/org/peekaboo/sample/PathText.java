package org.peekaboo.sample;

/** Client-supplied text (paths, names) made safe for a log line or a reply: one line, no control characters. */
public final class PathText {
    private PathText() {
    }

    /** {@code text} in double quotes, control characters as {@code \\uXXXX}, quotes and backslashes escaped. */
    public static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                quoted.append(String.format("\\u%04x", c));
            } else if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    public static String quoted(Object path) {
        return quoted(String.valueOf(path));
    }
}
