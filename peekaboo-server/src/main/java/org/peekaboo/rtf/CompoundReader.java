package org.peekaboo.rtf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.poi.hpsf.ClassID;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.DocumentEntry;
import org.apache.poi.poifs.filesystem.DocumentInputStream;
import org.apache.poi.poifs.filesystem.Entry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Opens the OLE2 compound file of an embedded object with Apache POI and reads what tells its
 * kind: the root CLSID, the stream names, the {@code \x01CompObj} user type, a packaged file,
 * the links of its moniker ({@code \x01Ole} stream), and the OOXML document of a {@code Package} stream. Only the root's streams are
 * read, each up to {@value #MAX_STREAM_BYTES} bytes but the package.
 */
final class CompoundReader {
    static final String COMP_OBJ = "\u0001CompObj";
    static final String OLE10_NATIVE = "\u0001Ole10Native";
    static final String PACKAGE = "Package";
    /** Where a linked object keeps its moniker (MS-OLEDS 2.3.3): the only stream whose links Word follows. */
    static final String OLE = "\u0001Ole";
    private static final int MAX_STREAM_BYTES = 1 << 20;
    private static final int MAX_ENTRIES = 200;
    /** CompObj: reserved, version, reserved (MS-OLEDS 2.3.8), then the ANSI user type. */
    private static final int COMP_OBJ_HEADER = 28;

    private CompoundReader() {
    }

    static CompoundObject read(byte[] data) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem(new ByteArrayInputStream(data))) {
            DirectoryEntry root = fs.getRoot();
            ClassID id = root.getStorageClsid();
            String clsid = id == null ? "" : id.toString().replaceAll("[{}]", "").toUpperCase(Locale.ROOT);
            if (clsid.equals("00000000-0000-0000-0000-000000000000")) {
                clsid = "";
            }
            List<String> streams = new ArrayList<>();
            List<String> links = new ArrayList<>();
            String userType = "";
            Optional<PackagedFile> packaged = Optional.empty();
            byte[] ooxml = new byte[0];
            for (Entry entry : root) {
                if (streams.size() >= MAX_ENTRIES) {
                    break;
                }
                streams.add(entry.getName());
                if (!(entry instanceof DocumentEntry document)) {
                    continue;
                }
                byte[] bytes;
                // The OOXML package of an embedded document is read whole: it is within the object's data, which is bounded.
                boolean ooxmlPackage = entry.getName().equals(PACKAGE);
                try (InputStream in = new DocumentInputStream(document)) {
                    bytes = in.readNBytes(ooxmlPackage ? document.getSize() : Math.min(document.getSize(), MAX_STREAM_BYTES));
                }
                if (ooxmlPackage && bytes.length > 4 && bytes[0] == 'P' && bytes[1] == 'K') {
                    ooxml = bytes;
                    continue;
                }
                if (entry.getName().equals(COMP_OBJ)) {
                    userType = userType(bytes);
                } else if (entry.getName().equals(OLE10_NATIVE)) {
                    packaged = Ole1Reader.packagedFile(bytes, bytes.length);
                }
                if (entry.getName().equals(OLE)) {
                    links.addAll(Links.find(bytes, bytes.length));
                }
            }
            return new CompoundObject(clsid, streams, userType, packaged, links, ooxml);
        }
    }

    private static String userType(byte[] compObj) {
        if (compObj.length < COMP_OBJ_HEADER + 4) {
            return "";
        }
        int p = COMP_OBJ_HEADER;
        long size = (compObj[p] & 0xFFL) | (compObj[p + 1] & 0xFFL) << 8 | (compObj[p + 2] & 0xFFL) << 16
                | (compObj[p + 3] & 0xFFL) << 24;
        int start = p + 4;
        int end = (int) Math.min(compObj.length, start + Math.min(size, 256));
        int stop = start;
        while (stop < end && compObj[stop] != 0) {
            stop++;
        }
        return new String(compObj, start, stop - start, StandardCharsets.ISO_8859_1);
    }
}
