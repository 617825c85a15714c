package org.peekaboo.expansion;

import java.nio.charset.Charset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readable text of a message's text part, for the password words: decoded with the part's
 * charset (windows-1252 when it names none Java knows, which also reads ASCII and most 8-bit
 * mail), HTML reduced to its words. A simple stripper, not an HTML parser: the words only need to be
 * there, in order, with tags and entities out of the way.
 */
final class MimeText {
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("auml", "ä"), Map.entry("ouml", "ö"),
            Map.entry("uuml", "ü"), Map.entry("Auml", "Ä"), Map.entry("Ouml", "Ö"), Map.entry("Uuml", "Ü"),
            Map.entry("szlig", "ß"), Map.entry("eacute", "é"), Map.entry("egrave", "è"), Map.entry("agrave", "à"),
            Map.entry("ccedil", "ç"), Map.entry("euro", "€"), Map.entry("ndash", "–"), Map.entry("mdash", "—"),
            Map.entry("laquo", "«"), Map.entry("raquo", "»"), Map.entry("bdquo", "„"), Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"), Map.entry("lsquo", "‘"), Map.entry("rsquo", "’"), Map.entry("copy", "©"));

    private MimeText() {
    }

    /** The text of {@code bytes} in the charset named {@code charsetName} (may be null); HTML stripped if {@code html}. */
    static String of(byte[] bytes, String charsetName, boolean html) {
        Charset charset = charsetName == null ? null : MimeNames.charset(charsetName);
        String text = new String(bytes, charset == null ? WINDOWS_1252 : charset);
        return html ? stripHtml(text) : text;
    }

    static String stripHtml(String html) {
        String text = withoutTags(html);
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (entity.find()) {
            entity.appendReplacement(out, Matcher.quoteReplacement(decodeEntity(entity.group(1), entity.group())));
        }
        entity.appendTail(out);
        return out.toString();
    }

    /**
     * The text outside tags, comments, scripts and styles, each replaced by a space ("<td>Passwort:</td>
     * <td>4711</td>" must give two words). Scans once: whatever is left open (a comment, a script, a
     * tag) runs to the end, as in a browser, so that crafted HTML cannot make it quadratic.
     */
    private static String withoutTags(String html) {
        StringBuilder out = new StringBuilder(html.length());
        int at = 0;
        while (at < html.length()) {
            int open = html.indexOf('<', at);
            if (open < 0) {
                out.append(html, at, html.length());
                break;
            }
            out.append(html, at, open);
            if (html.startsWith("<!--", open)) {
                out.append(' ');
                int end = html.indexOf("-->", open + 4);
                at = end < 0 ? html.length() : end + 3;
                continue;
            }
            int close = html.indexOf('>', open);
            if (close < 0) {
                // No tag closes after here: the '<' was text ("a < b").
                out.append(html, open, html.length());
                break;
            }
            out.append(' ');
            at = close + 1;
            for (String hidden : new String[] {"script", "style"}) {
                if (html.regionMatches(true, open + 1, hidden, 0, hidden.length())) {
                    at = endOf(html, hidden, at);
                }
            }
        }
        return out.toString();
    }

    /** The index after the end tag of element {@code name} from {@code from}, or the end of the text. */
    private static int endOf(String html, String name, int from) {
        int at = from;
        while (true) {
            int end = html.indexOf("</", at);
            if (end < 0) {
                return html.length();
            }
            if (html.regionMatches(true, end + 2, name, 0, name.length())) {
                int close = html.indexOf('>', end);
                return close < 0 ? html.length() : close + 1;
            }
            at = end + 2;
        }
    }

    private static String decodeEntity(String entity, String raw) {
        if (entity.startsWith("#")) {
            try {
                int codePoint = entity.length() > 1 && (entity.charAt(1) == 'x' || entity.charAt(1) == 'X')
                        ? Integer.parseInt(entity.substring(2), 16) : Integer.parseInt(entity.substring(1));
                return Character.isValidCodePoint(codePoint) ? Character.toString(codePoint) : raw;
            } catch (NumberFormatException e) {
                return raw;
            }
        }
        return ENTITIES.getOrDefault(entity, raw);
    }
}
