package org.peekaboo.office;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.DocumentInputStream;
import org.apache.poi.poifs.filesystem.DocumentNode;
import org.apache.poi.poifs.filesystem.Entry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.poifs.macros.Module;
import org.apache.poi.poifs.macros.VBAMacroReader;
import org.apache.poi.util.RLEDecompressingInputStream;

/**
 * Looks into one OLE2 compound file (.doc, .xls, a vbaProject.bin, an embedded object) for
 * VBA projects and Excel 4 macro sheets, in every storage down to the depth limit.
 */
final class Ole2Inspector {
    private static final String VBA_STORAGE = "VBA";
    private static final String DIR_STREAM = "dir";
    private static final String[] WORKBOOK_STREAMS = {"Workbook", "Book"};

    // MS-XLS record types read from a workbook's globals substream
    private static final int BIFF_EOF = 0x000A;
    private static final int BIFF_FILEPASS = 0x002F;
    private static final int BIFF_NAME = 0x0018;
    private static final int BIFF_BOUNDSHEET = 0x0085;
    private static final int SHEET_TYPE_MACRO = 0x01;
    private static final int NAME_BUILTIN = 0x0020;
    private static final int BUILTIN_AUTO_OPEN = 0x01;
    private static final int BUILTIN_AUTO_CLOSE = 0x02;
    /** A globals substream has a few thousand records; this bounds a stream without EOF. */
    private static final int MAX_GLOBALS_RECORDS = 1_000_000;

    private final MacroLimits limits;
    private final Findings findings;

    Ole2Inspector(MacroLimits limits, Findings findings) {
        this.limits = limits;
        this.findings = findings;
    }

    /** Inspects {@code fs}, called {@code container} in messages and module names. */
    void inspect(POIFSFileSystem fs, String container) throws IOException {
        DirectoryNode root = fs.getRoot();
        if (root.hasEntryCaseInsensitive("EncryptedPackage")) {
            throw new OfficeDocumentException(container + ": the document is encrypted; its macros cannot be seen");
        }
        boolean hasVba = walk(root, container, 0);
        if (hasVba) {
            readVba(fs, container);
        }
    }

    /** Checks every storage below {@code dir}; true if one of them is a VBA project. */
    private boolean walk(DirectoryNode dir, String container, int depth) throws IOException {
        if (depth > limits.maxStorageDepth()) {
            throw new OfficeDocumentException(container + ": storages nested deeper than "
                    + limits.maxStorageDepth() + " levels");
        }
        boolean hasVba = false;
        if (VBA_STORAGE.equalsIgnoreCase(dir.getName()) && dir.hasEntryCaseInsensitive(DIR_STREAM)) {
            reserveVbaSource(dir, container);
            hasVba = true;
        }
        for (String workbook : WORKBOOK_STREAMS) {
            if (dir.hasEntryCaseInsensitive(workbook) && dir.getEntryCaseInsensitive(workbook) instanceof DocumentNode doc) {
                scanWorkbookGlobals(doc, container);
            }
        }
        for (Entry child : dir) {
            if (child instanceof DirectoryNode sub) {
                hasVba |= walk(sub, container, depth + 1);
            }
        }
        return hasVba;
    }

    /**
     * Decompresses every module's source once, counting and discarding, so that POI only
     * gets to materialise a project that fits the budget.
     */
    private void reserveVbaSource(DirectoryNode vba, String container) throws IOException {
        var modules = VbaDirectory.read(new RLEDecompressingInputStream(
                new DocumentInputStream((DocumentNode) vba.getEntryCaseInsensitive(DIR_STREAM))));
        byte[] buffer = new byte[8192];
        for (VbaDirectory.ModuleStream module : modules) {
            if (!vba.hasEntryCaseInsensitive(module.streamName())
                    || !(vba.getEntryCaseInsensitive(module.streamName()) instanceof DocumentNode stream)) {
                continue;
            }
            String where = container + ": VBA module " + module.streamName();
            if (module.offset() > stream.getSize()) {
                throw new OfficeDocumentException(where + ": source offset " + module.offset() + " lies beyond the "
                        + stream.getSize() + "-byte stream");
            }
            try (InputStream compressed = new DocumentInputStream(stream)) {
                compressed.skipNBytes(module.offset());
                try (InputStream source = new RLEDecompressingInputStream(compressed)) {
                    for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
                        findings.reserveVba(where, n);
                    }
                }
            }
        }
        // Streams the dir does not list are read raw by POI; they count too.
        for (Entry entry : vba) {
            if (entry instanceof DocumentNode doc && isUnlistedModuleCandidate(doc.getName(), modules)) {
                findings.reserveVba(container + ": VBA stream " + doc.getName(), doc.getSize());
            }
        }
    }

    private static boolean isUnlistedModuleCandidate(String name, List<VbaDirectory.ModuleStream> listed) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals(DIR_STREAM) || lower.startsWith("__srp") || lower.startsWith("_vba_project")) {
            return false;
        }
        return listed.stream().noneMatch(module -> module.streamName().equalsIgnoreCase(name));
    }

    private void readVba(POIFSFileSystem fs, String container) throws IOException {
        // Not closed: closing the reader closes fs, which belongs to the caller.
        Map<String, Module> modules = new VBAMacroReader(fs).readMacroModules();
        for (Map.Entry<String, Module> module : modules.entrySet()) {
            findings.addModule(container, module.getKey(), module.getValue().getContent());
        }
    }

    /**
     * Reads a workbook's globals substream for macro sheets (BOUNDSHEET with sheet type
     * "macro sheet") and for cells named Auto_Open/Auto_Close; refuses encrypted workbooks,
     * whose sheet records cannot be read.
     */
    private void scanWorkbookGlobals(DocumentNode workbook, String container) throws IOException {
        try (DocumentInputStream in = new DocumentInputStream(workbook)) {
            for (int records = 0; records < MAX_GLOBALS_RECORDS && in.available() >= 4; records++) {
                int type = in.readUShort();
                int length = in.readUShort();
                if (length > in.available()) {
                    throw new OfficeDocumentException(container + ": workbook record 0x" + Integer.toHexString(type)
                            + " runs past the end of the stream");
                }
                byte[] data = new byte[length];
                in.readFully(data);
                switch (type) {
                    case BIFF_EOF -> {
                        return;
                    }
                    case BIFF_FILEPASS -> throw new OfficeDocumentException(container
                            + ": the workbook is encrypted; its macro sheets cannot be seen");
                    case BIFF_BOUNDSHEET -> {
                        if (length >= 6 && (data[5] & 0xFF) == SHEET_TYPE_MACRO) {
                            findings.xlmMacroSheet();
                        }
                    }
                    case BIFF_NAME -> autoRunName(data);
                    default -> {
                        // other records say nothing about macros
                    }
                }
            }
        }
    }

    private void autoRunName(byte[] data) {
        if (data.length < 16) {
            return;
        }
        int options = (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
        int nameLength = data[3] & 0xFF;
        boolean wide = (data[14] & 0x01) != 0;
        if ((options & NAME_BUILTIN) != 0) {
            int builtin = data[15] & 0xFF;
            if (builtin == BUILTIN_AUTO_OPEN) {
                findings.xlmAutoexec(MacroKeywords.XLM_AUTO_OPEN);
            } else if (builtin == BUILTIN_AUTO_CLOSE) {
                findings.xlmAutoexec(MacroKeywords.XLM_AUTO_CLOSE);
            }
            return;
        }
        // Excel also runs ordinary names that start with Auto_Open ("Auto_Open_x"), a known disguise.
        int available = Math.min(nameLength, (data.length - 15) / (wide ? 2 : 1));
        StringBuilder name = new StringBuilder(available);
        for (int i = 0; i < available; i++) {
            name.append((char) (wide ? (data[15 + 2 * i] & 0xFF) | (data[16 + 2 * i] & 0xFF) << 8 : data[15 + i] & 0xFF));
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        if (lower.startsWith("auto_open")) {
            findings.xlmAutoexec(MacroKeywords.XLM_AUTO_OPEN);
        } else if (lower.startsWith("auto_close")) {
            findings.xlmAutoexec(MacroKeywords.XLM_AUTO_CLOSE);
        }
    }
}
