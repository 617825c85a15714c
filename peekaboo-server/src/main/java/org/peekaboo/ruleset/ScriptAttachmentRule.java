package org.peekaboo.ruleset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peekaboo.sample.FileExtension;
import org.peekaboo.verdict.Result;
import org.peekaboo.verdict.RuleResult;

/**
 * Declares a file bad when it is a Windows script that runs on double-click: JScript, VBScript,
 * Windows Script Host files, HTML applications, PowerShell and batch files. Windows picks the
 * program by the extension, so the declared extension decides; a file whose name has no
 * extension at all is judged by its declared or detected type instead, because mail clients
 * give such a file the extension of its type when they save it. A script named as something
 * else ({@code notes.txt}) opens in an editor and goes on. Mail hardly ever carries such
 * scripts except as droppers; a site that mails scripts on purpose drops this rule.
 */
public record ScriptAttachmentRule() implements Rule {
    public static final String NAME = "script_attachment";

    /** What Windows runs each extension with, for the reason. */
    static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("js", "a JScript file"),
            Map.entry("jse", "an encoded JScript file"),
            Map.entry("vbs", "a VBScript file"),
            Map.entry("vbe", "an encoded VBScript file"),
            Map.entry("wsf", "a Windows Script File"),
            Map.entry("wsh", "a Windows Script Host settings file"),
            Map.entry("hta", "an HTML application"),
            Map.entry("ps1", "a PowerShell script"),
            Map.entry("bat", "a batch file"),
            Map.entry("cmd", "a batch file"));

    /** MIME types (declared or by content) of the same scripts; names by Tika, libmagic and mail clients. */
    static final Set<String> TYPES = Set.of(
            "application/javascript", "application/x-javascript", "text/javascript", "application/ecmascript",
            "text/ecmascript", "application/jscript", "application/x-jscript",
            "application/x-vbscript", "text/vbscript", "text/x-vbscript", "application/vbscript",
            "application/hta", "application/x-ms-wsf",
            "application/x-powershell", "text/x-powershell",
            "application/x-bat", "application/bat", "application/x-msdos-batch", "text/x-msdos-batch");

    private static final String HTA_TAG = "<hta:application";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RuleResult evaluate(SampleContext context) throws IOException {
        String name = context.sample().nameDeclared();
        // Windows drops trailing dots and spaces from file names, so "invoice.js." is saved as a script.
        String extension = name == null ? null : FileExtension.of(name.replaceFirst("[. ]+$", ""));
        String kind = extension == null ? null : EXTENSIONS.get(extension.toLowerCase(Locale.ROOT));
        if (kind != null) {
            return RuleResult.stop(NAME, Result.BAD, "The file is " + kind + " (." + extension
                    + "): Windows runs it when it is opened");
        }
        if (name == null || "".equals(extension)) {
            String type = scriptType(context);
            if (type != null) {
                return RuleResult.stop(NAME, Result.BAD, "The file is a script (" + type
                        + ") without an extension: Windows runs it once it is saved under its type's extension");
            }
        }
        return RuleResult.proceed(NAME, Result.UNKNOWN, "The file is no Windows script");
    }

    private static String scriptType(SampleContext context) throws IOException {
        String declared = context.sample().typeDeclared();
        if (declared != null && TYPES.contains(declared.trim().toLowerCase(Locale.ROOT))) {
            return declared.trim();
        }
        String detected = context.fileTypes().typeByContent();
        if (detected != null && TYPES.contains(detected.toLowerCase(Locale.ROOT))) {
            return detected;
        }
        // Content detection calls an HTML application text/html (whitelisted): its own tag tells it apart.
        if (new String(context.sample().content().head().toByteArray(), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT).contains(HTA_TAG)) {
            return "an HTML application, " + HTA_TAG + ">";
        }
        return null;
    }
}
