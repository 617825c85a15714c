package org.peekaboo.office;

import java.io.ByteArrayInputStream;
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
 * Looks into one OLE2 compound file (.doc, .xls, .ppt, a vbaProject.bin, an embedded object) for
 * VBA projects and Excel 4 macro sheets, in every storage down to the depth limit, and into
 * the compound files a PowerPoint presentation stores in its records ({@link PowerPointStorages}),
 * nested no deeper than the same limit.
 */
final class Ole2Inspector {
    private static final String VBA_STORAGE = "VBA";
    private static final String DIR_STREAM = "dir";
    private static final String[] WORKBOOK_STREAMS = {"Workbook", "Book"};

    private final MacroLimits limits;
    private final Findings findings;
    /** How many compound files out of PowerPoint records this one is nested in. */
    private final int nesting;
    private final PowerPointStorages.Budget budget;

    Ole2Inspector(MacroLimits limits, Findings findings) {
        this(limits, findings, 0, new PowerPointStorages.Budget(limits));
    }

    private Ole2Inspector(MacroLimits limits, Findings findings, int nesting, PowerPointStorages.Budget budget) {
        this.limits = limits;
        this.findings = findings;
        this.nesting = nesting;
        this.budget = budget;
    }

    /** Inspects {@code fs}, called {@code container} in messages and module names. */
    void inspect(POIFSFileSystem fs, String container) throws IOException {
        DirectoryNode root = fs.getRoot();
        if (root.hasEntryCaseInsensitive("EncryptedPackage")) {
            new EncryptedPackages(limits, findings).inspect(fs, container);
            return;
        }
        boolean hasVba = walk(root, container, 0);
        if (hasVba) {
            readVba(fs, container);
        }
        if (root.hasEntryCaseInsensitive(PowerPointStorages.DOCUMENT_STREAM)
                && root.getEntryCaseInsensitive(PowerPointStorages.DOCUMENT_STREAM) instanceof DocumentNode records) {
            inspectPresentation(root, records, container);
        }
    }

    /**
     * Inspects the compound files in a presentation's records (its VBA project, embedded
     * objects) as if they were storages of this file.
     */
    private void inspectPresentation(DirectoryNode root, DocumentNode records, String container) throws IOException {
        if (nesting >= limits.maxStorageDepth()) {
            throw new OfficeDocumentException(container + ": presentations nested deeper than "
                    + limits.maxStorageDepth() + " levels");
        }
        byte[] stream;
        try (InputStream in = new DocumentInputStream(records)) {
            // The stream is no larger than the OLE2 file, which is within maxOle2Bytes.
            stream = in.readNBytes(records.getSize());
        }
        byte[] currentUser = null;
        if (root.hasEntryCaseInsensitive(PowerPointStorages.CURRENT_USER_STREAM)
                && root.getEntryCaseInsensitive(PowerPointStorages.CURRENT_USER_STREAM) instanceof DocumentNode user) {
            try (InputStream in = new DocumentInputStream(user)) {
                currentUser = in.readNBytes(PowerPointStorages.MAX_CURRENT_USER_BYTES);
            }
        }
        new PowerPointStorages(limits, budget).forEach(stream, currentUser, container, (label, compoundFile) -> {
            try (POIFSFileSystem inner = new POIFSFileSystem(new ByteArrayInputStream(compoundFile))) {
                new Ole2Inspector(limits, findings, nesting + 1, budget).inspect(inner, label);
            }
        });
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
                new BiffWorkbookScanner(findings, container).scan(doc);
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
}
