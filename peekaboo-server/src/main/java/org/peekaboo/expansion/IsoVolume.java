package org.peekaboo.expansion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists an ISO 9660 image (ECMA-119): the primary volume descriptor, or the Joliet supplementary one
 * when present (its names are UCS-2, long and in mixed case, as Windows shows them), the directory
 * tree from the root, file extents (also files of several extents). Rock Ridge names (NM) replace the
 * 8.3 names of the primary tree when there is no Joliet tree. Names lose their ";1" version. Own code:
 * there is no well-kept Java library for ISO 9660 (the old ones, e.g. loopy or jiic, are unmaintained).
 */
final class IsoVolume {
    static final int SECTOR = 2048;
    private static final int FIRST_DESCRIPTOR = 16;
    private static final int MAX_DESCRIPTORS = 64;

    private IsoVolume() {
    }

    /** Whether {@code source} starts a volume descriptor set where ISO 9660 puts it. */
    static boolean recognise(DiskSource source) throws IOException {
        return source.holds(FIRST_DESCRIPTOR * SECTOR, 6) && descriptorIdentifier(source, FIRST_DESCRIPTOR).equals("CD001");
    }

    /** Whether it is a UDF volume without an ISO 9660 tree (the recognition sequence names only NSR). */
    static boolean recogniseUdf(DiskSource source) throws IOException {
        boolean udf = false;
        for (int i = 0; i < 8 && source.holds((long) (FIRST_DESCRIPTOR + i) * SECTOR, 6); i++) {
            String id = descriptorIdentifier(source, FIRST_DESCRIPTOR + i);
            if (id.equals("NSR02") || id.equals("NSR03")) {
                udf = true;
            } else if (id.equals("CD001")) {
                return false;
            }
        }
        return udf;
    }

    private static String descriptorIdentifier(DiskSource source, long sector) throws IOException {
        return new String(source.read(sector * SECTOR + 1, 5), StandardCharsets.ISO_8859_1);
    }

    static void list(DiskSource source, DiskListing listing) throws IOException {
        byte[] primary = null;
        byte[] joliet = null;
        for (int i = 0; i < MAX_DESCRIPTORS; i++) {
            long at = (long) (FIRST_DESCRIPTOR + i) * SECTOR;
            byte[] descriptor = source.read(at, SECTOR);
            String id = new String(descriptor, 1, 5, StandardCharsets.ISO_8859_1);
            int type = descriptor[0] & 0xFF;
            if (!id.equals("CD001") || type == 255) {
                break;
            }
            if (type == 1 && primary == null) {
                primary = descriptor;
            } else if (type == 2 && joliet == null && descriptor[88] == '%' && descriptor[89] == '/'
                    && (descriptor[90] == '@' || descriptor[90] == 'C' || descriptor[90] == 'E')) {
                joliet = descriptor;
            }
        }
        byte[] chosen = joliet != null ? joliet : primary;
        if (chosen == null) {
            throw new IOException("it has no primary volume descriptor");
        }
        Record root = Record.parse(chosen, 156, joliet != null);
        if (root == null || !root.directory()) {
            throw new IOException("its root directory record is invalid");
        }
        Set<Long> visited = new HashSet<>();
        walk(source, root, "", 0, joliet != null, visited, listing);
    }

    private static void walk(DiskSource source, Record directory, String path, int depth, boolean joliet,
                             Set<Long> visited, DiskListing listing) throws IOException {
        DiskListing.checkDepth(depth, path);
        if (!visited.add(directory.extent())) {
            throw new IOException("its directory \"" + path + "\" contains itself (a loop)");
        }
        listing.directory(directory.length(), path);
        List<Record> records = records(source.read(directory.extent() * SECTOR, (int) directory.length()), path,
                joliet, listing);
        List<DiskSource.Run> extents = new ArrayList<>();
        long size = 0;
        for (Record record : records) {
            String child = DiskListing.join(path, DiskListing.clean(record.name()));
            if (record.directory()) {
                walk(source, record, child, depth + 1, joliet, visited, listing);
                continue;
            }
            extents.add(new DiskSource.Run(record.extent() * SECTOR, record.length()));
            size += record.length();
            if (record.moreExtents()) {
                continue;
            }
            listing.add(new DiskFile(child, DiskSource.ofRuns(source, extents, size)));
            extents = new ArrayList<>();
            size = 0;
        }
    }

    /** The records of a directory, without "." and ".."; the bytes are not kept while subdirectories are read. */
    private static List<Record> records(byte[] bytes, String path, boolean joliet, DiskListing listing)
            throws IOException {
        List<Record> records = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            int length = bytes[offset] & 0xFF;
            if (length == 0) {
                // Records never cross a sector; the rest of the sector is padding.
                offset = (offset / SECTOR + 1) * SECTOR;
                continue;
            }
            if (length < 34 || offset + length > bytes.length) {
                throw new IOException("a record of directory \"" + path + "\" is corrupt");
            }
            Record record = Record.parse(bytes, offset, joliet);
            if (record == null) {
                throw new IOException("a record of directory \"" + path + "\" is corrupt");
            }
            if (!record.self()) {
                // Counted as parsed, so that the records held along a deep path stay within the limit too.
                listing.count();
                records.add(record);
            }
            offset += length;
        }
        return records;
    }

    /** One directory record: where its extent is, how long, its flags and name. */
    private record Record(long extent, long length, int flags, String name, boolean self) {
        boolean directory() {
            return (flags & 0x02) != 0;
        }

        boolean moreExtents() {
            return (flags & 0x80) != 0;
        }

        static Record parse(byte[] bytes, int at, boolean joliet) {
            int length = bytes[at] & 0xFF;
            int nameLength = bytes[at + 32] & 0xFF;
            if (length < 34 || 33 + nameLength > length || at + length > bytes.length) {
                return null;
            }
            long extent = u32le(bytes, at + 2);
            long size = u32le(bytes, at + 10);
            int flags = bytes[at + 25] & 0xFF;
            boolean self = nameLength == 1 && (bytes[at + 33] == 0 || bytes[at + 33] == 1);
            String name;
            if (joliet) {
                name = new String(bytes, at + 33, nameLength & ~1, StandardCharsets.UTF_16BE);
            } else {
                name = new String(bytes, at + 33, nameLength, StandardCharsets.ISO_8859_1);
                String rockRidge = rockRidgeName(bytes, at + 33 + nameLength + ((nameLength & 1) == 0 ? 1 : 0),
                        at + length);
                if (rockRidge != null) {
                    name = rockRidge;
                }
            }
            return new Record(extent, size, flags, self ? "" : plain(name, (flags & 0x02) != 0), self);
        }

        /** The Rock Ridge NM entries of the system use area, joined; null without any. */
        private static String rockRidgeName(byte[] bytes, int from, int end) {
            StringBuilder name = null;
            int at = from;
            while (at + 4 <= end) {
                int entryLength = bytes[at + 2] & 0xFF;
                if (entryLength < 4 || at + entryLength > end) {
                    break;
                }
                if (bytes[at] == 'N' && bytes[at + 1] == 'M' && entryLength >= 5) {
                    int nmFlags = bytes[at + 4] & 0xFF;
                    if ((nmFlags & 0x06) == 0) {
                        if (name == null) {
                            name = new StringBuilder();
                        }
                        name.append(new String(bytes, at + 5, entryLength - 5, StandardCharsets.UTF_8));
                    }
                }
                at += entryLength;
            }
            return name == null || name.isEmpty() ? null : name.toString();
        }

        /** Without the version (";1") and the dot ISO 9660 puts after a name without extension. */
        private static String plain(String name, boolean directory) {
            String plain = name;
            int version = plain.lastIndexOf(';');
            if (!directory && version >= 0) {
                plain = plain.substring(0, version);
            }
            if (plain.endsWith(".")) {
                plain = plain.substring(0, plain.length() - 1);
            }
            return plain.isEmpty() ? "_" : plain;
        }
    }

    static long u32le(byte[] bytes, int at) {
        return (bytes[at] & 0xFFL) | (bytes[at + 1] & 0xFFL) << 8 | (bytes[at + 2] & 0xFFL) << 16
                | (bytes[at + 3] & 0xFFL) << 24;
    }
}
