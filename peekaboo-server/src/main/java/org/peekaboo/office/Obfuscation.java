package org.peekaboo.office;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks behind the obfuscation indicators. The thresholds lie well above what ordinary
 * macros write ({@code Chr(13) & Chr(10)}, a short hex colour, {@code Replace(s, " ", "")}) and
 * below what droppers need to hide a command line or a URL.
 */
final class Obfuscation {
    static final int CHR_PER_STATEMENT = 8;
    static final int CHR_TOTAL = 20;
    static final int ENCODED_LENGTH = 100;
    static final int FRAGMENTS_PER_LINE = 10;
    static final int REPLACE_CALLS = 3;
    static final int LONG_LINE = 1000;

    private static final Pattern CHR = Pattern.compile("(?i)(?<![A-Za-z0-9_])Chr[BW]?\\$?\\s*\\(");
    private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{" + ENCODED_LENGTH + ",}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{" + ENCODED_LENGTH + ",}={0,2}");
    private static final Pattern FRAGMENT = Pattern.compile("\"[^\"\\n]{1,3}\"\\s*[&+]");
    /** {@code Replace(x, "junk", "")}: the junk holds a letter or digit, unlike whitespace clean-up. */
    private static final Pattern REPLACE = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_.])Replace\\$?\\s*\\(\\s*(\"[^\"\\n]*\"|[^,\\n]+?)\\s*,\\s*\"([^\"\\n]*[A-Za-z0-9][^\"\\n]*)\"\\s*,\\s*\"\"");

    private Obfuscation() {
    }

    static boolean chrChain(VbaText text) {
        int total = 0;
        for (String statement : text.statements()) {
            int count = count(CHR, statement);
            if (count >= CHR_PER_STATEMENT) {
                return true;
            }
            total += count;
        }
        return total >= CHR_TOTAL;
    }

    static boolean hexString(VbaText text) {
        return text.literals().stream().anyMatch(literal -> HEX.matcher(literal.strip()).matches());
    }

    static boolean base64String(VbaText text) {
        return text.literals().stream().anyMatch(literal -> {
            String stripped = literal.strip();
            // Mixed case or digits tell Base64 from a long word or a hex string, reported as such.
            return BASE64.matcher(stripped).matches() && !HEX.matcher(stripped).matches()
                    && !stripped.equals(stripped.toLowerCase(java.util.Locale.ROOT))
                    && !stripped.equals(stripped.toUpperCase(java.util.Locale.ROOT));
        });
    }

    static boolean fragments(VbaText text) {
        return text.code().lines().anyMatch(line -> count(FRAGMENT, line) >= FRAGMENTS_PER_LINE);
    }

    /** Junk stripped from a literal written in the code, or junk stripped again and again. */
    static boolean replaceJunk(VbaText text) {
        Matcher matcher = REPLACE.matcher(text.code());
        int calls = 0;
        while (matcher.find()) {
            if (matcher.group(2).length() >= 2 && (matcher.group(1).startsWith("\"") || ++calls >= REPLACE_CALLS)) {
                return true;
            }
        }
        return false;
    }

    static boolean longLine(VbaText text) {
        return text.code().lines().anyMatch(line -> line.length() > LONG_LINE);
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
