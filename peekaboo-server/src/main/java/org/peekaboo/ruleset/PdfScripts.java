package org.peekaboo.ruleset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The calls in a PDF's JavaScript that droppers and exploits make and forms do not: exporting an
 * attached file, opening URLs, the heap sprays and shellcode decoding of PDF exploits. Formatting
 * and validating fields (AFNumber_Format and the like) uses none of them.
 */
final class PdfScripts {
    private static final Map<String, Pattern> SUSPICIOUS = suspicious();
    private static final Pattern FROM_CHAR_CODE = Pattern.compile("\\bfromCharCode\\s*\\(");
    private static final int MANY_CHAR_CODES = 20;

    private PdfScripts() {
    }

    /** The suspicious calls {@code script} makes, named for a reason; empty if none. */
    static List<String> suspiciousCalls(String script) {
        List<String> found = new ArrayList<>();
        SUSPICIOUS.forEach((name, pattern) -> {
            if (pattern.matcher(script).find()) {
                found.add(name);
            }
        });
        if (!found.contains("String.fromCharCode chain") && count(FROM_CHAR_CODE, script) >= MANY_CHAR_CODES) {
            found.add("String.fromCharCode chain");
        }
        return found;
    }

    private static int count(Pattern pattern, String text) {
        var matcher = pattern.matcher(text);
        int count = 0;
        while (count < MANY_CHAR_CODES && matcher.find()) {
            count++;
        }
        return count;
    }

    private static Map<String, Pattern> suspicious() {
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        patterns.put("exportDataObject", Pattern.compile("\\bexportDataObject\\b"));
        patterns.put("launchURL", Pattern.compile("\\blaunchURL\\b"));
        // util.printf with a huge field width is the heap overflow of CVE-2008-2992.
        patterns.put("util.printf heap spray", Pattern.compile("\\butil\\s*\\.\\s*printf\\s*\\(\\s*['\"]%\\d{3,}"));
        patterns.put("submitForm to a web server", Pattern.compile("\\bsubmitForm\\s*\\([^)]{0,200}https?:"));
        patterns.put("eval(unescape", Pattern.compile("\\beval\\s*\\(\\s*unescape\\b"));
        patterns.put("unescape of %u shellcode", Pattern.compile("(?i)\\bunescape\\s*\\(\\s*['\"](?:%u[0-9a-f]{4}){4}"));
        // A long chain of character codes is how obfuscated scripts hide the code they evaluate.
        patterns.put("String.fromCharCode chain", Pattern.compile(
                "\\bfromCharCode\\s*\\(\\s*\\d{1,5}(?:\\s*,\\s*\\d{1,5}){40}"));
        patterns.put("Collab.collectEmailInfo", Pattern.compile("\\bCollab\\s*\\.\\s*(?:collectEmailInfo|getIcon)\\b"));
        return patterns;
    }
}
