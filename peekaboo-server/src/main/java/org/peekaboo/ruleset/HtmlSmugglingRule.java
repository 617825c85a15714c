package org.peekaboo.ruleset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.peekaboo.sample.FileExtension;
import org.peekaboo.sample.FileTypeReport;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares an HTML or SVG file bad when it smuggles a file: its script decodes data, makes a file
 * of it and hands that to the browser as a download, or it links to a file carried in a
 * {@code data:} URL to download. The browser then saves a file the gateway never saw as an
 * attachment. Web pages that merely script, embed images or offer downloads from a server go
 * on. The text is searched with a few regular expressions rather than parsed: the indicators
 * are tokens of script and attributes that an HTML parser would not make easier to find, and
 * smuggling pages are often malformed on purpose. Only the first {@value #MAX_BYTES} bytes are
 * read, as Latin-1 so that any ASCII-compatible encoding matches; the payload of a smuggling
 * page is its bulk, so its script shows early enough.
 */
public record HtmlSmugglingRule() implements Rule {
    public static final String NAME = "html_smuggling";
    static final int MAX_BYTES = 4 << 20;

    private static final Set<String> TYPES = Set.of("text/html", "application/xhtml+xml", "image/svg+xml");
    private static final Set<String> EXTENSIONS = Set.of("htm", "html", "shtml", "xhtml", "xht", "svg", "mht",
            "mhtml");

    private static final Pattern DECODE = Pattern.compile(
            "\\b(?:atob|fromBase64|base64ToArrayBuffer|base64ToBlob|b64toBlob|b64ToBlob)\\s*\\(");
    private static final Pattern MAKE_FILE = Pattern.compile("\\bnew\\s+(?:Blob|File)\\s*\\(|\\bUint8Array\\b");
    private static final Pattern HAND_OVER = Pattern.compile("\\b(?:createObjectURL|msSaveOrOpenBlob|msSaveBlob)\\b");
    private static final Pattern SAVE_BY_ITSELF = Pattern.compile("\\bmsSave(?:OrOpen)?Blob\\b");
    private static final Pattern DOWNLOAD = Pattern.compile("\\.download\\s*=|setAttribute\\s*\\(\\s*['\"]download"
            + "|(?i:<a(?:\\s[^<>]*?)?\\sdownload\\b)|\\.click\\s*\\(\\s*\\)|\\bdispatchEvent\\s*\\(\\s*new\\s+MouseEvent"
            + "|\\blocation(?:\\.href)?\\s*=(?!=)");
    // A link's attributes are searched only up to the next angle bracket, so that every character
    // is looked at by one attempt: text full of "<a" costs linear time, not quadratic.

    /** An explicit download: what a data: URL needs to be saved rather than shown. */
    private static final Pattern DOWNLOAD_ATTRIBUTE = Pattern.compile("\\.download\\s*=|setAttribute\\s*\\(\\s*['\"]"
            + "download|(?i:<a(?:\\s[^<>]*?)?\\sdownload\\b)");
    /** data: URLs of the kinds of file droppers deliver (archives, executables, disk images, HTAs). */
    private static final Pattern FILE_DATA_URL = Pattern.compile("(?i)data:application/(?:octet-stream|zip"
            + "|x-zip-compressed|x-zip|x-msdownload|x-msdos-program|x-dosexec|x-iso9660-image|x-rar-compressed"
            + "|vnd\\.rar|x-7z-compressed|x-msi|java-archive|hta|x-apple-diskimage|vnd\\.ms-cab-compressed)[;,]");
    /** A data: URL of any application type that carries its bytes inline (at least 768 of them). */
    private static final Pattern INLINE_DATA_URL = Pattern.compile("(?i)data:application/[\\w.+-]{1,100};base64,"
            + "[A-Za-z0-9+/]{1024}");
    /** A base64 string literal of at least 10 KiB: a payload, not an icon. */
    private static final Pattern LARGE_BASE64 = Pattern.compile("[\"'`][A-Za-z0-9+/]{13654,}+={0,2}[\"'`]");
    private static final int SHOWN = 40;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        if (!isHtml(context)) {
            return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no HTML or SVG file");
        }
        String text;
        try (InputStream in = context.sample().content().openStream()) {
            text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.ISO_8859_1);
        }
        return smuggling(text)
                .map(how -> RuleResult.stop(NAME, Result.BAD, "The file is an HTML page that smuggles a file: " + how))
                .orElseGet(() -> RuleResult.proceed(NAME, Result.UNKNOWN, "The HTML file assembles no download"));
    }

    /** How {@code text} smuggles a file, if it does. */
    static Optional<String> smuggling(String text) {
        Optional<String> decode = first(DECODE, text);
        Optional<String> makeFile = first(MAKE_FILE, text);
        if (decode.isPresent() && makeFile.isPresent()) {
            Optional<String> handOver = first(HAND_OVER, text);
            Optional<String> download = SAVE_BY_ITSELF.matcher(text).find() ? handOver : first(DOWNLOAD, text);
            if (handOver.isPresent() && download.isPresent()) {
                return Optional.of("its script decodes data (" + decode.get() + "), makes a file of it ("
                        + makeFile.get() + ") and hands it to the browser (" + join(handOver.get(), download.get())
                        + ")");
            }
        }
        Optional<String> dataUrl = first(FILE_DATA_URL, text).or(() -> first(INLINE_DATA_URL, text));
        if (dataUrl.isPresent()) {
            Optional<String> download = first(DOWNLOAD_ATTRIBUTE, text);
            if (download.isPresent()) {
                return Optional.of("it offers a file carried in a data: URL (" + dataUrl.get() + ") for download ("
                        + download.get() + ")");
            }
        }
        if (decode.isPresent()) {
            Matcher payload = LARGE_BASE64.matcher(text);
            Optional<String> use = makeFile.or(() -> first(HAND_OVER, text)).or(() -> first(DOWNLOAD_ATTRIBUTE, text));
            if (use.isPresent() && payload.find()) {
                int base64Chars = payload.end() - payload.start() - 2;
                return Optional.of("its script decodes (" + decode.get() + ") a base64 payload of "
                        + base64Chars * 3 / 4 / 1024 + " KiB and makes a file of it (" + use.get() + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean isHtml(SampleContext context) throws IOException {
        String name = context.sample().nameDeclared();
        String extension = name == null ? null : FileExtension.of(name.replaceFirst("[. ]+$", ""));
        if (extension != null && EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT))) {
            return true;
        }
        List<String> types = new ArrayList<>();
        types.add(context.sample().typeDeclared());
        FileTypeReport detected = context.fileTypes();
        types.add(detected.typeByContent());
        types.add(detected.typeByName());
        return types.stream().anyMatch(type -> type != null && TYPES.contains(type.trim().toLowerCase(Locale.ROOT)));
    }

    private static Optional<String> first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String found = matcher.group().replaceAll("\\s+", " ").strip();
        return Optional.of(found.length() <= SHOWN ? found : found.substring(0, SHOWN) + "…");
    }

    private static String join(String a, String b) {
        return a.equals(b) ? a : a + ", " + b;
    }
}
