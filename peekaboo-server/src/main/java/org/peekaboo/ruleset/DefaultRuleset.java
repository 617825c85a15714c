package org.peekaboo.ruleset;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.peekaboo.sample.FileTypeDetector;

/**
 * The ruleset Peekaboo runs when no ruleset file is configured, and the type lists that
 * the list rules fall back to. {@code config/ruleset.conf} spells out the same ruleset.
 */
public final class DefaultRuleset {

    /** Types harmless enough never to analyse, PeekabooAV's default whitelist. */
    public static final Set<String> WHITELIST = orderedSet(
            "text/plain",
            "message/rfc822",
            "inode/x-empty",
            "application/pkcs7-signature",
            "application/x-pkcs7-signature",
            "application/pkcs7-mime",
            "application/x-pkcs7-mime",
            "text/html");

    /**
     * Types worth analysing: PeekabooAV's default greylist (libmagic and Python mimetypes
     * names, duplicates removed), followed by the names Apache Tika gives the same kinds
     * of file, because those are what Peekaboo's detector reports.
     */
    public static final Set<String> GREYLIST = orderedSet(
            // unidentifiable binary data
            "application/octet-stream",
            // Microsoft Office, legacy binary formats
            "application/msword",
            "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
            "application/vnd.ms-office",
            // Microsoft Office Open XML, plain and macro-enabled
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.ms-word.document.macroenabled.12",
            "application/vnd.ms-word.template.macroenabled.12",
            "application/vnd.ms-excel.sheet.macroenabled.12",
            "application/vnd.ms-excel.template.macroenabled.12",
            "application/vnd.ms-powerpoint.presentation.macroenabled.12",
            // OpenDocument
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation",
            // documents and scripts
            "application/pdf",
            "application/javascript",
            "application/x-vbscript",
            "application/x-bat",
            "application/x-sh",
            "text/x-python",
            "application/x-python-code",
            // archives
            "application/zip",
            "application/x-7z-compressed",
            "application/x-rar",
            "application/x-rar-compressed",
            // executables
            "application/x-dosexec",
            "application/x-ms-dos-executable",
            "application/x-msdos-program",
            // images and plug-ins
            "image/png",
            "image/jpeg",
            "application/x-silverlight-app",
            // Apache Tika's names for kinds of file listed above
            "application/x-tika-msoffice",
            "application/x-tika-ooxml",
            "application/x-msdownload",
            "text/javascript",
            "text/x-vbscript",
            "application/vnd.rar",
            // Office types that can hold macros, beyond PeekabooAV's list (Tika's names): the
            // binary workbook (.xlsb), add-ins (.xlam, .ppam), PowerPoint templates, shows and
            // slides (.potm, .ppsm, .sldm); and SYLK (.slk) as shared-mime-info names it (Tika
            // has no name for SYLK and calls it text/plain; office_macro_dropper reads it first).
            "application/vnd.ms-excel.sheet.binary.macroenabled.12",
            "application/vnd.ms-excel.addin.macroenabled.12",
            "application/vnd.ms-powerpoint.template.macroenabled.12",
            "application/vnd.ms-powerpoint.slideshow.macroenabled.12",
            "application/vnd.ms-powerpoint.addin.macroenabled.12",
            "application/vnd.ms-powerpoint.slide.macroenabled.12",
            "text/spreadsheet");

    /** The rules of the built-in ruleset, in order. */
    public static final List<String> RULE_NAMES = List.of(
            KnownRule.NAME,
            ContainsPeekabooYarRule.NAME,
            OfficeMacroDropperRule.NAME,
            ScriptAttachmentRule.NAME,
            WindowsShortcutRule.NAME,
            DiskImageRule.NAME,
            RarArchiveRule.NAME,
            HtmlSmugglingRule.NAME,
            PdfDropperRule.NAME,
            RtfDropperRule.NAME,
            FileLargerThanRule.NAME,
            FileTypeOnWhitelistRule.NAME,
            FileTypeOnGreylistRule.NAME,
            FinalRule.NAME);

    private DefaultRuleset() {
    }

    /**
     * The built-in rules. The test marker is looked for before the type lists, so it is
     * found in any file, a whitelisted text file included: that is how a new installation
     * is tested end to end, like EICAR. Macro droppers are looked for before the type lists
     * too: a whitelisted or unlisted type may still be an Office document, and the rule costs
     * nothing on files that are none. Scripts, shortcuts and HTML smuggling likewise: text/html
     * is whitelisted, and a script is often detected as plain text. PDF droppers before the greylist,
     * which lists application/pdf; RTF droppers likewise, whose type no list names.
     *
     * @param macroReports the macro analysis ({@code olereport}) the dropper rule reads
     */
    public static List<Rule> rules(KnownResults known, ReportSource<? extends MacroReport> macroReports) {
        return List.of(
                new KnownRule(known),
                new ContainsPeekabooYarRule(),
                new OfficeMacroDropperRule(macroReports),
                new ScriptAttachmentRule(),
                new WindowsShortcutRule(),
                new DiskImageRule(),
                new RarArchiveRule(),
                new HtmlSmugglingRule(),
                new PdfDropperRule(),
                new RtfDropperRule(macroReports),
                new FileLargerThanRule(FileLargerThanRule.DEFAULT_BYTES),
                new FileTypeOnWhitelistRule(WHITELIST),
                new FileTypeOnGreylistRule(GREYLIST),
                new FinalRule());
    }

    public static Ruleset create(KnownResults known, FileTypeDetector detector,
                                 ReportSource<? extends MacroReport> macroReports) {
        return new Ruleset(rules(known, macroReports), detector);
    }

    private static Set<String> orderedSet(String... types) {
        LinkedHashSet<String> set = new LinkedHashSet<>(List.of(types));
        if (set.size() != types.length) {
            throw new IllegalStateException("duplicate type in a default list");
        }
        return Collections.unmodifiableSequencedSet(set);
    }
}
