package org.peekaboo.ruleset;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peekaboo.sample.FileExtension;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares a file bad when it is a Windows shortcut that runs or fetches something when it is
 * opened: a Shell Link ({@code .lnk}, recognised by its header whatever its name, or by its
 * name), an Internet shortcut ({@code .url}) pointing at a file, a share or a Windows search
 * rather than a web page, and the shell files that make Explorer reach out by themselves
 * ({@code .library-ms}, {@code .search-ms}, {@code .searchConnector-ms}, {@code .scf}). People
 * share links, not shortcut files, so mail carries these almost only in droppers. Only the
 * first bytes the sample keeps anyway are looked at.
 */
public record WindowsShortcutRule() implements Rule {
    public static final String NAME = "windows_shortcut";

    private static final int INI_BYTES = 8192;
    private static final Map<String, String> SHELL_FILES = Map.of(
            "library-ms", "a Windows library description",
            "search-ms", "a Windows saved search",
            "searchconnector-ms", "a Windows search connector",
            "scf", "a Windows Explorer command file");
    private static final Pattern INTERNET_SHORTCUT = Pattern.compile("\\A(?:\\xEF\\xBB\\xBF)?\\s*\\[InternetShortcut]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern URL_LINE = Pattern.compile("^[ \\t]*URL[ \\t]*=[ \\t]*(\\S[^\\r\\n]*)",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    /** Targets a browser shows as a page; anything else (file:, UNC, search-ms:, ms-…:) runs or fetches. */
    private static final Pattern WEB_PAGE = Pattern.compile("(?i)^(?:https?|mailto):");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) {
        String name = context.sample().nameDeclared();
        String extension = name == null ? null : FileExtension.of(name.replaceFirst("[. ]+$", ""));
        String ext = extension == null ? "" : extension.toLowerCase(Locale.ROOT);
        byte[] head = context.sample().content().head().toByteArray();
        if (ShellLink.hasMagic(head) || ext.equals("lnk")) {
            return RuleResult.stop(NAME, Result.BAD, "The file is a Windows shortcut: it runs a command when opened"
                    + ShellLink.read(head).map(WindowsShortcutRule::describe).orElse(""));
        }
        if (SHELL_FILES.containsKey(ext)) {
            return RuleResult.stop(NAME, Result.BAD, "The file is " + SHELL_FILES.get(ext) + " (." + extension
                    + "): Windows Explorer fetches what it names when it is opened");
        }
        // An Internet shortcut is a few lines of INI: its section and URL come first.
        String text = new String(head, 0, Math.min(head.length, INI_BYTES), StandardCharsets.ISO_8859_1);
        if (ext.equals("url") || INTERNET_SHORTCUT.matcher(text).find()) {
            Optional<String> target = urlTarget(text);
            if (target.isPresent() && !WEB_PAGE.matcher(target.get()).find()) {
                return RuleResult.stop(NAME, Result.BAD, "The file is an Internet shortcut to "
                        + target.get() + ": it opens a file, share or search, not a web page");
            }
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no Windows shortcut");
    }

    private static String describe(ShellLink link) {
        if (link.target().isEmpty() && link.arguments().isEmpty()) {
            return "";
        }
        return " (" + (link.target().isEmpty() ? "" : "target " + link.target())
                + (link.target().isEmpty() || link.arguments().isEmpty() ? "" : ", ")
                + (link.arguments().isEmpty() ? "" : "arguments " + link.arguments()) + ")";
    }

    private static Optional<String> urlTarget(String text) {
        Matcher url = URL_LINE.matcher(text);
        if (!url.find()) {
            return Optional.empty();
        }
        String target = url.group(1).strip();
        return Optional.of(target.length() <= 240 ? target : target.substring(0, 240) + "…");
    }
}
