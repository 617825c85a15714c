package org.peekaboo.expansion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A structured MIME header ({@code Content-Type}, {@code Content-Disposition}) split into its value
 * and raw parameters, more leniently than Jakarta Mail: whatever real mail clients write (unquoted
 * names with spaces, unescaped backslashes in Windows paths, junk after a quoted string) still gives
 * its parameters, because a name that fails to parse would hide an attachment's extension.
 *
 * @param value      the value before the first {@code ;}, trimmed, as written
 * @param parameters raw parameter values (quotes removed) by lower-case name, in order; the first of
 *                   duplicates wins
 */
record MimeHeaderValue(String value, Map<String, String> parameters) {
    MimeHeaderValue {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The header's value split, or null for a null header. */
    static MimeHeaderValue parse(String header) {
        if (header == null) {
            return null;
        }
        String text = header.replaceAll("\r?\n[ \t]*", " ").replace('\r', ' ').replace('\n', ' ');
        int end = text.indexOf(';');
        String value = (end < 0 ? text : text.substring(0, end)).trim();
        Map<String, String> parameters = new LinkedHashMap<>();
        int at = end < 0 ? text.length() : end;
        while (at < text.length()) {
            at++; // the ';'
            int equals = text.indexOf('=', at);
            int next = text.indexOf(';', at);
            if (equals < 0 || (next >= 0 && next < equals)) {
                // "; foo;" carries nothing; skip it.
                at = next < 0 ? text.length() : next;
                continue;
            }
            String name = text.substring(at, equals).trim().toLowerCase(Locale.ROOT);
            int start = equals + 1;
            while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
                start++;
            }
            String parameter;
            if (start < text.length() && text.charAt(start) == '"') {
                StringBuilder quoted = new StringBuilder();
                at = readQuoted(text, start + 1, quoted);
                parameter = quoted.toString();
                int semicolon = text.indexOf(';', at);
                at = semicolon < 0 ? text.length() : semicolon;
            } else {
                int semicolon = text.indexOf(';', start);
                at = semicolon < 0 ? text.length() : semicolon;
                parameter = text.substring(start, at).trim();
            }
            if (!name.isEmpty()) {
                parameters.putIfAbsent(name, parameter);
            }
        }
        return new MimeHeaderValue(value, parameters);
    }

    /** The value lower-cased if it is a {@code type/subtype}, else null. */
    String mimeType() {
        String type = value.toLowerCase(Locale.ROOT);
        return type.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+") ? type : null;
    }

    /** The value lower-cased if it is a token such as {@code attachment}, else null. */
    String token() {
        String token = value.toLowerCase(Locale.ROOT);
        return token.matches("[a-z0-9!#$&^_.+-]+") ? token : null;
    }

    String parameter(String name) {
        return parameters.get(name);
    }

    /**
     * Reads a quoted string from {@code from} (after the opening quote) into {@code into}; returns the
     * index after the closing quote, or the end when it is missing. A backslash only escapes a quote
     * or a backslash: Outlook writes Windows paths with single, unescaped backslashes.
     */
    private static int readQuoted(String text, int from, StringBuilder into) {
        int at = from;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\\' && at + 1 < text.length() && (text.charAt(at + 1) == '"' || text.charAt(at + 1) == '\\')) {
                into.append(text.charAt(at + 1));
                at += 2;
            } else if (c == '"') {
                return at + 1;
            } else {
                into.append(c);
                at++;
            }
        }
        return at;
    }
}
