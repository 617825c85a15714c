package org.peekaboo.office;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipFile;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Finds Office macros in a file with Apache POI: VBA in OLE2 documents (.doc, .xls, .dot,
 * .xlt, embedded objects; .ppt/.pps/.pot, whose VBA project and embedded objects are compound
 * files inside PowerPoint records, see {@link PowerPointStorages}) and in zip containers (OOXML
 * .docm/.xlsm/.pptm/.xlsb and any zip holding an OLE2 part), and Excel 4 (XLM) macro sheets with
 * their formulas in .xls, .xlsm and .xlsb workbooks and SYLK files. Documents encrypted with one of Office's default passwords
 * ({@link DefaultPasswords}) are decrypted first.
 * Files of any other kind, RTF included (it cannot hold VBA itself), yield a report without
 * macros: that is the answer, not an error. Office documents embedded in RTF as OLE objects
 * are handed to {@link #analyze} one by one by the {@code rtf_dropper} rule.
 *
 * <p>Not covered (docs/ruleset.md): Word 2003 XML and MHTML documents, OLE objects embedded in RTF
 * (rtf_dropper reads those) and OOXML packed inside OLE2 objects.
 *
 * <p>A record so that equal analyzers are one cache key (see {@link OleReportSource}).
 */
public record MacroAnalyzer(MacroLimits limits) {
    private static final byte[] OLE2_MAGIC = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0,
        (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] EMPTY_ZIP_MAGIC = {'P', 'K', 5, 6};
    /** SYLK files start with their ID record; Excel opens them, Excel 4 macros included. */
    private static final byte[] SYLK_MAGIC = {'I', 'D', ';'};
    private static final List<String> OFFICE_PART_NAMES = List.of("[Content_Types].xml", "vbaProject.bin");

    public MacroAnalyzer {
        Objects.requireNonNull(limits, "limits");
    }

    public static MacroAnalyzer withDefaultLimits() {
        return new MacroAnalyzer(MacroLimits.DEFAULT);
    }

    /**
     * Whether a file starting with {@code head} may hold macros at all: only OLE2 and zip
     * containers and SYLK text can. Lets a caller skip files of every other kind without handing over a file.
     */
    public static boolean mayHoldMacros(byte[] head) {
        return startsWith(head, OLE2_MAGIC) || startsWith(head, ZIP_MAGIC) || startsWith(head, EMPTY_ZIP_MAGIC)
                || startsWith(head, SYLK_MAGIC);
    }

    /**
     * Analyses {@code file}.
     *
     * @throws OfficeDocumentException if the file looks like an Office container but cannot be
     *                                 read completely within the limits, or is encrypted with a
     *                                 password other than Office's default ones (its kind says which)
     * @throws IOException             if the file cannot be read at all
     */
    public OleReport analyze(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(OLE2_MAGIC.length);
        }
        Findings findings = new Findings(limits.maxVbaBytes());
        String name = file.getFileName().toString();
        try {
            if (startsWith(head, OLE2_MAGIC)) {
                long size = Files.size(file);
                if (size > limits.maxOle2Bytes()) {
                    throw new OfficeDocumentException(name + ": OLE2 file of " + size + " bytes exceeds the limit of "
                            + limits.maxOle2Bytes() + " bytes; the macros cannot be judged");
                }
                try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
                    new Ole2Inspector(limits, findings).inspect(fs, name);
                }
            } else if (startsWith(head, ZIP_MAGIC) || startsWith(head, EMPTY_ZIP_MAGIC)) {
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    new OoxmlInspector(limits, findings).inspect(zip);
                } catch (IOException | RuntimeException e) {
                    // An archive that is no Office document is opened and judged by the engine's
                    // expansion (encrypted, truncated, a bomb: its configured result); failing
                    // here too would answer every such archive "failed", which never ends.
                    if (!namesAnOfficePart(file)) {
                        return OleReport.NO_MACROS;
                    }
                    throw e;
                }
            } else if (startsWith(head, SYLK_MAGIC)) {
                if (!SylkReader.looksLikeSylk(file)) {
                    // A semicolon-separated CSV whose first column is "ID" starts the same way.
                    return OleReport.NO_MACROS;
                }
                long size = Files.size(file);
                if (size > limits.maxPartBytes()) {
                    throw new OfficeDocumentException(name + ": SYLK file of " + size + " bytes exceeds the limit of "
                            + limits.maxPartBytes() + " bytes; the macros cannot be judged");
                }
                // SYLK is written in the ANSI code page; Latin-1 keeps every byte and every ASCII function name.
                new SylkReader(findings).read(Files.readString(file, StandardCharsets.ISO_8859_1), name);
            } else {
                return OleReport.NO_MACROS;
            }
        } catch (OfficeDocumentException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // POI reports corrupt structures with runtime exceptions of many kinds; all mean
            // the same here: the document could not be read, so its macros are unknown.
            throw new OfficeDocumentException(name + ": cannot read the Office document: " + e, e);
        }
        return findings.report();
    }

    /**
     * Whether a zip's raw bytes name a part every OOXML package has, or a VBA project: entry
     * names are stored in the clear, also in encrypted or truncated zips.
     */
    private static boolean namesAnOfficePart(Path file) throws IOException {
        int overlap = OFFICE_PART_NAMES.stream().mapToInt(String::length).max().orElseThrow();
        byte[] buffer = new byte[64 * 1024];
        String carried = "";
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                String window = carried + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                if (OFFICE_PART_NAMES.stream().anyMatch(window::contains)) {
                    return true;
                }
                carried = window.substring(Math.max(0, window.length() - overlap));
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
