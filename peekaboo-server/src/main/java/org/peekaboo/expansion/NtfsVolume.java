package org.peekaboo.expansion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists an NTFS volume by walking its master file table: the boot sector, the $MFT's own data runs,
 * each FILE record (update sequence fixups checked), its $FILE_NAME (the Win32 name, not the DOS 8.3
 * one) and its unnamed $DATA, resident or in runs. Paths come from the parent references. A file whose
 * data lies in an extension record ($ATTRIBUTE_LIST, a heavily fragmented file) is listed by name only.
 * Own code: no Java library reads NTFS.
 */
final class NtfsVolume {
    private static final int ROOT = 5;
    private static final int FIRST_USER_RECORD = 16;
    private static final int MAX_RECORDS = 65_536;
    private static final int MAX_RUNS = 4096;

    private NtfsVolume() {
    }

    static boolean recognise(DiskSource source) throws IOException {
        if (!source.holds(0, 512)) {
            return false;
        }
        byte[] boot = source.read(0, 512);
        return new String(boot, 3, 8, StandardCharsets.ISO_8859_1).equals("NTFS    ")
                && (boot[510] & 0xFF) == 0x55 && (boot[511] & 0xFF) == 0xAA;
    }

    private record Entry(long parent, String name, boolean directory, DiskSource data) {
    }

    static void list(DiskSource source, DiskListing listing) throws IOException {
        byte[] boot = source.read(0, 512);
        int bytesPerSector = FatVolume.u16(boot, 11);
        int perCluster = boot[13] & 0xFF;
        int sectorsPerCluster = perCluster > 128 ? 1 << (256 - perCluster) : perCluster;
        long clusterSize = (long) bytesPerSector * sectorsPerCluster;
        int perRecord = boot[64];
        long recordSize = perRecord < 0 ? 1L << -perRecord : perRecord * clusterSize;
        long mftCluster = u64le(boot, 48);
        if (Integer.bitCount(bytesPerSector) != 1 || bytesPerSector < 256 || bytesPerSector > 4096
                || sectorsPerCluster == 0 || clusterSize > 2 * 1024 * 1024 || recordSize < 512
                || recordSize > 64 * 1024 || mftCluster <= 0 || mftCluster > source.size() / clusterSize) {
            throw new IOException("its boot sector is implausible");
        }
        byte[] first = record(source.read(mftCluster * clusterSize, (int) recordSize), 0);
        DiskSource mft = data(first, source, clusterSize, listing);
        if (mft == null) {
            throw new IOException("its master file table has no data");
        }
        long records = mft.size() / recordSize;
        if (records > MAX_RECORDS) {
            throw new IOException("its master file table has more than " + MAX_RECORDS + " records");
        }
        Map<Long, Entry> entries = new TreeMap<>();
        // A damaged record may have been a dropper's file: the others are still listed, then the damage is reported.
        String damage = null;
        for (long i = 0; i < records; i++) {
            byte[] record;
            try {
                record = record(mft.read(i * recordSize, (int) recordSize), i);
            } catch (IOException e) {
                if (i < FIRST_USER_RECORD) {
                    throw e;
                }
                damage = damage != null ? damage : e.getMessage();
                continue;
            }
            if (record.length == 0) {
                continue;
            }
            int flags = FatVolume.u16(record, 22);
            if ((flags & 0x01) == 0 || u64le(record, 32) != 0) {
                continue;
            }
            String name = null;
            long parent = -1;
            int nameSpace = -1;
            for (int at = FatVolume.u16(record, 20); at + 16 <= record.length; ) {
                long type = IsoVolume.u32le(record, at);
                long length = IsoVolume.u32le(record, at + 4);
                if (type == 0xFFFFFFFFL || length < 16 || at + length > record.length) {
                    break;
                }
                if (type == 0x30 && record[at + 8] == 0) {
                    int value = at + FatVolume.u16(record, at + 20);
                    if (value + 66 <= at + length) {
                        int nameLength = record[value + 64] & 0xFF;
                        int space = record[value + 65] & 0xFF;
                        if (value + 66 + 2 * nameLength <= at + length && (name == null || nameSpace == 2)) {
                            name = new String(record, value + 66, 2 * nameLength, StandardCharsets.UTF_16LE);
                            parent = u64le(record, value) & 0xFFFF_FFFF_FFFFL;
                            nameSpace = space;
                        }
                    }
                }
                at += (int) length;
            }
            if (name != null) {
                DiskSource data = null;
                if ((flags & 0x02) == 0 && i >= FIRST_USER_RECORD) {
                    try {
                        data = data(record, source, clusterSize, listing);
                    } catch (IOException e) {
                        damage = damage != null ? damage : "the data of \"" + name + "\" is damaged: " + e.getMessage();
                    }
                }
                entries.put(i, new Entry(parent, name, (flags & 0x02) != 0, data));
            }
        }
        for (Map.Entry<Long, Entry> file : entries.entrySet()) {
            if (file.getKey() < FIRST_USER_RECORD || file.getValue().directory()) {
                continue;
            }
            String path = path(file.getKey(), entries);
            if (path != null) {
                listing.count();
                listing.add(new DiskFile(path, file.getValue().data()));
            }
        }
        if (damage != null) {
            throw new IOException(damage);
        }
    }

    /** The path from the root; null for a file outside the user's tree (system files, orphans). */
    private static String path(long record, Map<Long, Entry> entries) throws IOException {
        List<String> names = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long at = record;
        while (at != ROOT) {
            Entry entry = entries.get(at);
            if (entry == null || at < FIRST_USER_RECORD) {
                return null;
            }
            if (!seen.add(at)) {
                throw new IOException("its directories contain themselves (a loop)");
            }
            DiskListing.checkDepth(names.size(), entry.name());
            names.addFirst(DiskListing.clean(entry.name()));
            at = entry.parent();
        }
        return String.join("/", names);
    }

    /** A FILE record with its update sequence applied; an empty array for an unused slot. */
    private static byte[] record(byte[] record, long number) throws IOException {
        String magic = new String(record, 0, 4, StandardCharsets.ISO_8859_1);
        if (!magic.equals("FILE")) {
            if (record[0] == 0 && record[1] == 0 && record[2] == 0 && record[3] == 0) {
                return new byte[0];
            }
            throw new IOException("MFT record " + number + " is corrupt");
        }
        int usaOffset = FatVolume.u16(record, 4);
        int usaCount = FatVolume.u16(record, 6);
        if (usaCount < 1 || usaOffset + 2 * usaCount > record.length || (usaCount - 1) * 512 > record.length) {
            throw new IOException("MFT record " + number + " has a corrupt update sequence");
        }
        for (int i = 1; i < usaCount; i++) {
            int end = i * 512 - 2;
            if (record[end] != record[usaOffset] || record[end + 1] != record[usaOffset + 1]) {
                throw new IOException("MFT record " + number + " is torn (update sequence mismatch)");
            }
            record[end] = record[usaOffset + 2 * i];
            record[end + 1] = record[usaOffset + 2 * i + 1];
        }
        return record;
    }

    /** The unnamed $DATA attribute's bytes; null when the record has none (it is in an extension record). */
    private static DiskSource data(byte[] record, DiskSource volume, long clusterSize, DiskListing listing)
            throws IOException {
        if (record.length == 0) {
            return null;
        }
        for (int at = FatVolume.u16(record, 20); at + 16 <= record.length; ) {
            long type = IsoVolume.u32le(record, at);
            long length = IsoVolume.u32le(record, at + 4);
            if (type == 0xFFFFFFFFL || length < 16 || at + length > record.length) {
                break;
            }
            if (type == 0x80 && record[at + 9] == 0) {
                if (record[at + 8] == 0) {
                    int size = (int) IsoVolume.u32le(record, at + 16);
                    int value = at + FatVolume.u16(record, at + 20);
                    if (size < 0 || value + size > at + length) {
                        throw new IOException("a resident data attribute is corrupt");
                    }
                    byte[] bytes = new byte[size];
                    System.arraycopy(record, value, bytes, 0, size);
                    return DiskSource.of(bytes);
                }
                if (at + 56 > at + length || u64le(record, at + 16) != 0) {
                    return null;
                }
                long size = u64le(record, at + 48);
                List<DiskSource.Run> runs = runs(record, at + FatVolume.u16(record, at + 32), at + (int) length,
                        clusterSize, listing);
                return DiskSource.ofRuns(volume, runs, size);
            }
            at += (int) length;
        }
        return null;
    }

    private static List<DiskSource.Run> runs(byte[] record, int from, int end, long clusterSize, DiskListing listing)
            throws IOException {
        List<DiskSource.Run> runs = new ArrayList<>();
        long cluster = 0;
        int at = from;
        while (at < end && record[at] != 0) {
            int header = record[at] & 0xFF;
            int lengthSize = header & 0x0F;
            int offsetSize = header >> 4;
            if (lengthSize == 0 || lengthSize > 8 || offsetSize > 8 || at + 1 + lengthSize + offsetSize > end
                    || runs.size() >= MAX_RUNS) {
                throw new IOException("a data run list is corrupt");
            }
            long length = 0;
            for (int i = lengthSize - 1; i >= 0; i--) {
                length = length << 8 | (record[at + 1 + i] & 0xFF);
            }
            long offset = 0;
            for (int i = offsetSize - 1; i >= 0; i--) {
                offset = offset << 8 | (record[at + 1 + lengthSize + i] & 0xFF);
            }
            if (offsetSize > 0 && offsetSize < 8 && (record[at + lengthSize + offsetSize] & 0x80) != 0) {
                offset -= 1L << (8 * offsetSize);
            }
            if (length <= 0 || length > Long.MAX_VALUE / clusterSize) {
                throw new IOException("a data run list is corrupt");
            }
            listing.run();
            if (offsetSize == 0) {
                runs.add(new DiskSource.Run(-1, length * clusterSize));
            } else {
                cluster += offset;
                if (cluster < 0 || cluster > Long.MAX_VALUE / clusterSize) {
                    throw new IOException("a data run leaves the volume");
                }
                runs.add(new DiskSource.Run(cluster * clusterSize, length * clusterSize));
            }
            at += 1 + lengthSize + offsetSize;
        }
        return runs;
    }

    static long u64le(byte[] bytes, int at) {
        return IsoVolume.u32le(bytes, at) | IsoVolume.u32le(bytes, at + 4) << 32;
    }
}
