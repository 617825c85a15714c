package org.peekaboo.office;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.poi.poifs.filesystem.FileMagic;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Looks into a zip container: an Office Open XML document (.docm, .xlsm, .pptm, …) or any
 * other zip. Like olevba, every entry that is an OLE2 file is inspected for VBA, so a
 * vbaProject.bin is found whatever its part name and a macro document inside a plain zip
 * counts too. Excel 4 macro sheets are recognised by their content type, relationship or part
 * folder and their formulas read: XML ones of .xlsm by {@link OoxmlMacroSheets}, binary ones of
 * .xlsb by {@link XlsbParts}, with the defined names of xl/workbook.bin (Auto_Open, …).
 *
 * <p>Only the central directory is read up front; an entry is inflated only when it is
 * inspected, to a bounded size and ratio, so a zip bomb fails fast instead of filling memory.
 */
final class OoxmlInspector {
    private static final int MAGIC_LENGTH = 8;
    /** Below this size the inflate ratio is not checked: tiny parts compress well legitimately. */
    private static final int RATIO_CHECK_FROM = 1 << 20;
    private static final Pattern AUTO_RUN_NAME = Pattern.compile(
            "<(?:\\w+:)?definedName\\b[^>]*\\bname\\s*=\\s*[\"'](?:_xlnm\\.)?(auto_(?:open|close|activate))",
            Pattern.CASE_INSENSITIVE);

    private final MacroLimits limits;
    private final Findings findings;
    /** Ordered and without repeats: a part named by its folder, content type and relationship is read once. */
    private final Set<String> macroSheets = new LinkedHashSet<>();
    /** The defined names of an .xlsb's workbook.bin, which the formulas of its binary macro sheets call by number. */
    private final List<String> binaryNames = new ArrayList<>();
    /** The binary workbook parts of an .xlsb: by name, or as the main part its package relationship names. */
    private final Set<String> binaryWorkbooks = new LinkedHashSet<>();

    OoxmlInspector(MacroLimits limits, Findings findings) {
        this.limits = limits;
        this.findings = findings;
    }

    void inspect(ZipFile zip) throws IOException {
        macroSheets.clear();
        binaryNames.clear();
        binaryWorkbooks.clear();
        int count = 0;
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
            ZipEntry entry = entries.nextElement();
            if (++count > limits.maxZipEntries()) {
                throw new OfficeDocumentException("zip has more than " + limits.maxZipEntries() + " entries");
            }
            if (!entry.isDirectory()) {
                inspect(zip, entry);
            }
        }
        // The names first: the formulas of binary macro sheets call them by number.
        for (String part : binaryWorkbooks) {
            ZipEntry workbook = zip.getEntry(part);
            if (workbook != null && !workbook.isDirectory() && !isOle2(zip, workbook)) {
                XlsbParts.Workbook read = XlsbParts.workbook(bytes(zip, workbook), part);
                for (XlsbParts.Name defined : read.names()) {
                    findings.xlmName(defined.name());
                }
                binaryNames.addAll(read.nameTexts());
            }
        }
        for (String part : macroSheets) {
            ZipEntry sheet = zip.getEntry(part);
            if (sheet == null || sheet.isDirectory()) {
                continue;
            }
            byte[] content = bytes(zip, sheet);
            // Excel goes by the content type, not the part name: a BIFF12 sheet may be called .xml.
            if (looksLikeXml(content)) {
                for (String formula : OoxmlMacroSheets.formulas(new String(content, StandardCharsets.UTF_8))) {
                    findings.addXlmFormula(part, formula);
                }
            } else {
                for (String formula : XlsbParts.formulas(content, part, FormulaTokens.biff12(binaryNames))) {
                    findings.addXlmFormula(part, formula);
                }
            }
        }
    }

    /** Whether a part starts as XML does (after a byte order mark and white space), not as BIFF12 records. */
    private static boolean looksLikeXml(byte[] content) {
        int at = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        if (content.length >= 2 && ((content[0] & 0xFF) == 0xFF && (content[1] & 0xFF) == 0xFE
                || (content[0] & 0xFF) == 0xFE && (content[1] & 0xFF) == 0xFF)) {
            return true;
        }
        while (at < content.length && Character.isWhitespace(content[at])) {
            at++;
        }
        return at < content.length && content[at] == '<';
    }

    private void inspect(ZipFile zip, ZipEntry entry) throws IOException {
        String name = entry.getName();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("macrosheets/")) {
            findings.xlmMacroSheet();
            macroSheets.add(name);
        }
        if (lower.equals("[content_types].xml")) {
            // Part names are free in OPC; the declared content type is what Excel goes by.
            String contentTypes = text(zip, entry);
            if (contentTypes.toLowerCase(Locale.ROOT).contains("macrosheet")) {
                findings.xlmMacroSheet();
            }
            macroSheets.addAll(OoxmlMacroSheets.declaredInContentTypes(contentTypes));
        } else if (lower.endsWith(".rels")) {
            String rels = text(zip, entry);
            macroSheets.addAll(OoxmlMacroSheets.relatedFrom(name, rels));
            // The workbook is the package's main part whatever its name; an .xlsb's is binary.
            OoxmlMacroSheets.mainParts(name, rels).stream()
                    .filter(part -> part.toLowerCase(Locale.ROOT).endsWith(".bin")).forEach(binaryWorkbooks::add);
        } else if (lower.endsWith("workbook.xml")) {
            Matcher autoRun = AUTO_RUN_NAME.matcher(text(zip, entry));
            while (autoRun.find()) {
                findings.xlmName(autoRun.group(1));
            }
        } else if (lower.endsWith("workbook.bin") && !isOle2(zip, entry)) {
            binaryWorkbooks.add(name);
        } else if (isOle2(zip, entry)) {
            // Read from a file, POI keeps only the blocks it reads in memory; from a byte array it
            // holds the document several times over, and a large embedded object would need a
            // heap several times its size.
            Path spooled = Files.createTempFile("peekaboo-ole-", ".bin");
            try {
                try (OutputStream out = Files.newOutputStream(spooled)) {
                    copyBounded(zip, entry, out);
                }
                try (POIFSFileSystem fs = new POIFSFileSystem(spooled.toFile(), true)) {
                    new Ole2Inspector(limits, findings).inspect(fs, name);
                }
            } finally {
                Files.deleteIfExists(spooled);
            }
        }
    }

    private static boolean isOle2(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] head = in.readNBytes(MAGIC_LENGTH);
            return head.length == MAGIC_LENGTH && FileMagic.valueOf(head) == FileMagic.OLE2;
        }
    }

    private String text(ZipFile zip, ZipEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copyBounded(zip, entry, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private byte[] bytes(ZipFile zip, ZipEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copyBounded(zip, entry, out);
        return out.toByteArray();
    }

    /** Copies the entry's content to {@code out}, refused once it inflates beyond the part size or ratio limit. */
    private void copyBounded(ZipFile zip, ZipEntry entry, OutputStream out) throws IOException {
        long compressed = entry.getCompressedSize();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > limits.maxPartBytes()) {
                    throw new OfficeDocumentException(entry.getName() + " inflates to more than "
                            + limits.maxPartBytes() + " bytes (zip bomb?); the macros cannot be judged");
                }
                if (total > RATIO_CHECK_FROM && compressed > 0 && total > compressed * limits.maxInflateRatio()) {
                    throw new OfficeDocumentException(entry.getName() + " inflates more than "
                            + limits.maxInflateRatio() + " times (" + compressed + " bytes compressed; zip bomb?);"
                            + " the macros cannot be judged");
                }
                out.write(buffer, 0, n);
            }
        }
    }
}
