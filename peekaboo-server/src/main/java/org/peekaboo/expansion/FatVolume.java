package org.peekaboo.expansion;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists a FAT12, FAT16 or FAT32 volume (a floppy or USB stick image, or a partition of a disk): the
 * BIOS parameter block, the root directory, subdirectories, long file names (VFAT), cluster chains.
 * Recognised only by a boot sector that passes every check of the BIOS parameter block and names its
 * FAT type, because Tika calls these images octet-stream and random data must not pass. Own code: no
 * Java library reads FAT images and is kept (fat32-lib is unmaintained since 2014).
 */
final class FatVolume {
    private static final Charset OEM = Charset.forName("IBM437");
    private static final int ENTRY = 32;

    private final DiskSource source;
    private final int bytesPerCluster;
    private final long dataStart;
    private final long clusters;
    private final int bits;
    private final byte[] fat;

    private FatVolume(DiskSource source, Parameters parameters) throws IOException {
        this.source = source;
        this.bytesPerCluster = parameters.bytesPerSector * parameters.sectorsPerCluster;
        long fatStart = (long) parameters.reserved * parameters.bytesPerSector;
        long rootBytes = (long) parameters.rootEntries * ENTRY;
        long rootSectors = (rootBytes + parameters.bytesPerSector - 1) / parameters.bytesPerSector;
        long fatBytes = parameters.fatSectors * parameters.bytesPerSector;
        this.dataStart = fatStart + parameters.fats * fatBytes + rootSectors * parameters.bytesPerSector;
        long dataSectors = parameters.totalSectors - (dataStart / parameters.bytesPerSector);
        this.clusters = dataSectors / parameters.sectorsPerCluster;
        this.bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
        long needed = ((clusters + 2) * bits + 7) / 8;
        if (clusters <= 0 || fatBytes > DiskListing.MAX_TABLE_BYTES || needed > fatBytes) {
            throw new IOException("its allocation table is implausible");
        }
        this.fat = source.read(fatStart, (int) Math.min(fatBytes, needed + 4));
    }

    /** The BIOS parameter block, if the first sector is a FAT boot sector. */
    record Parameters(int bytesPerSector, int sectorsPerCluster, int reserved, int fats, int rootEntries,
                      long totalSectors, long fatSectors, long rootCluster, String type) {
    }

    static Parameters parameters(DiskSource source) throws IOException {
        if (!source.holds(0, 512)) {
            return null;
        }
        byte[] boot = source.read(0, 512);
        if ((boot[510] & 0xFF) != 0x55 || (boot[511] & 0xFF) != 0xAA) {
            return null;
        }
        int jump = boot[0] & 0xFF;
        if (jump != 0xEB && jump != 0xE9) {
            return null;
        }
        int bytesPerSector = u16(boot, 11);
        int sectorsPerCluster = boot[13] & 0xFF;
        int reserved = u16(boot, 14);
        int fats = boot[16] & 0xFF;
        int rootEntries = u16(boot, 17);
        long totalSectors = u16(boot, 19) != 0 ? u16(boot, 19) : IsoVolume.u32le(boot, 32);
        int media = boot[21] & 0xFF;
        long fatSectors = u16(boot, 22);
        String type16 = new String(boot, 54, 8, StandardCharsets.ISO_8859_1);
        String type32 = new String(boot, 82, 8, StandardCharsets.ISO_8859_1);
        String type;
        long rootCluster = 0;
        if (fatSectors == 0 && type32.equals("FAT32   ")) {
            type = "FAT32";
            fatSectors = IsoVolume.u32le(boot, 36);
            rootCluster = IsoVolume.u32le(boot, 44);
            if (rootEntries != 0 || rootCluster < 2) {
                return null;
            }
        } else if (fatSectors != 0 && (type16.equals("FAT12   ") || type16.equals("FAT16   ") || type16.equals("FAT     "))
                && ((boot[38] & 0xFF) == 0x29 || (boot[38] & 0xFF) == 0x28)) {
            type = type16.strip();
            if (rootEntries == 0) {
                return null;
            }
        } else {
            return null;
        }
        boolean sane = Integer.bitCount(bytesPerSector) == 1 && bytesPerSector >= 512 && bytesPerSector <= 4096
                && Integer.bitCount(sectorsPerCluster) == 1 && reserved >= 1 && fats >= 1 && fats <= 4
                && (media == 0xF0 || media >= 0xF8) && totalSectors > 0 && fatSectors > 0
                && reserved + fats * fatSectors < totalSectors;
        return sane ? new Parameters(bytesPerSector, sectorsPerCluster, reserved, fats, rootEntries, totalSectors,
                fatSectors, rootCluster, type) : null;
    }

    static boolean recognise(DiskSource source) throws IOException {
        return parameters(source) != null;
    }

    static void list(DiskSource source, DiskListing listing) throws IOException {
        Parameters parameters = parameters(source);
        if (parameters == null) {
            throw new IOException("its boot sector is no FAT boot sector");
        }
        FatVolume volume = new FatVolume(source, parameters);
        byte[] root;
        if (parameters.rootCluster != 0) {
            root = volume.readChain(parameters.rootCluster, "the root directory", listing);
        } else {
            long rootStart = (long) (parameters.reserved + parameters.fats * parameters.fatSectors)
                    * parameters.bytesPerSector;
            listing.directory((long) parameters.rootEntries * ENTRY, "the root directory");
            root = source.read(rootStart, parameters.rootEntries * ENTRY);
        }
        Set<Long> visited = new HashSet<>();
        volume.walk(root, "", 0, visited, listing);
    }

    private void walk(byte[] directory, String path, int depth, Set<Long> visited, DiskListing listing)
            throws IOException {
        DiskListing.checkDepth(depth, path);
        StringBuilder longName = new StringBuilder();
        int longChecksum = -1;
        for (int at = 0; at + ENTRY <= directory.length; at += ENTRY) {
            int first = directory[at] & 0xFF;
            if (first == 0) {
                break;
            }
            int attributes = directory[at + 11] & 0xFF;
            if (first == 0xE5) {
                longName.setLength(0);
                continue;
            }
            if ((attributes & 0x3F) == 0x0F) {
                // A long name comes in pieces of 13 UCS-2 characters, the last piece first.
                if ((first & 0x40) != 0) {
                    longName.setLength(0);
                }
                longName.insert(0, longNamePiece(directory, at));
                longChecksum = directory[at + 13] & 0xFF;
                continue;
            }
            if ((attributes & 0x08) != 0) {
                longName.setLength(0);
                continue;
            }
            String shortName = shortName(directory, at);
            String name = longName.length() > 0 && longChecksum == checksum(directory, at) ? longName.toString()
                    : shortName;
            longName.setLength(0);
            if (shortName.equals(".") || shortName.equals("..")) {
                continue;
            }
            listing.count();
            String child = DiskListing.join(path, DiskListing.clean(name));
            long cluster = u16(directory, at + 26) | (long) u16(directory, at + 20) << 16;
            long size = IsoVolume.u32le(directory, at + 28);
            if ((attributes & 0x10) != 0) {
                if (cluster < 2) {
                    continue;
                }
                if (!visited.add(cluster)) {
                    throw new IOException("its directory \"" + child + "\" contains itself (a loop)");
                }
                walk(readChain(cluster, child, listing), child, depth + 1, visited, listing);
            } else {
                listing.add(new DiskFile(child, size == 0 ? DiskSource.of(new byte[0])
                        : DiskSource.ofRuns(source, runs(cluster, size, child, listing), size)));
            }
        }
    }

    private static String longNamePiece(byte[] entry, int at) {
        byte[] chars = new byte[26];
        System.arraycopy(entry, at + 1, chars, 0, 10);
        System.arraycopy(entry, at + 14, chars, 10, 12);
        System.arraycopy(entry, at + 28, chars, 22, 4);
        String piece = new String(chars, StandardCharsets.UTF_16LE);
        int end = piece.indexOf('\0');
        return end >= 0 ? piece.substring(0, end) : piece;
    }

    private static int checksum(byte[] entry, int at) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >> 1) + (entry[at + i] & 0xFF)) & 0xFF;
        }
        return sum;
    }

    private static String shortName(byte[] entry, int at) {
        byte[] raw = new byte[11];
        System.arraycopy(entry, at, raw, 0, 11);
        if ((raw[0] & 0xFF) == 0x05) {
            raw[0] = (byte) 0xE5;
        }
        String base = new String(raw, 0, 8, OEM).stripTrailing();
        String extension = new String(raw, 8, 3, OEM).stripTrailing();
        // Windows NT keeps an all-lower-case 8.3 name without a long name, in two flags of byte 12.
        int caseFlags = entry[at + 12] & 0xFF;
        if ((caseFlags & 0x08) != 0) {
            base = base.toLowerCase(java.util.Locale.ROOT);
        }
        if ((caseFlags & 0x10) != 0) {
            extension = extension.toLowerCase(java.util.Locale.ROOT);
        }
        return extension.isEmpty() ? base : base + "." + extension;
    }

    /** The runs of clusters holding {@code size} bytes from {@code first}; a chain that loops or ends early is corrupt. */
    private List<DiskSource.Run> runs(long first, long size, String path, DiskListing listing) throws IOException {
        List<DiskSource.Run> runs = new ArrayList<>();
        long needed = (size + bytesPerCluster - 1) / bytesPerCluster;
        if (needed > clusters) {
            throw new IOException("\"" + path + "\" is larger than the volume");
        }
        BitSet seen = new BitSet();
        long cluster = first;
        for (long i = 0; i < needed; i++) {
            if (cluster < 2 || cluster >= clusters + 2) {
                throw new IOException("the cluster chain of \"" + path + "\" ends early or leaves the volume");
            }
            if (seen.get((int) cluster)) {
                throw new IOException("the cluster chain of \"" + path + "\" loops");
            }
            seen.set((int) cluster);
            long start = dataStart + (cluster - 2) * bytesPerCluster;
            DiskSource.Run last = runs.isEmpty() ? null : runs.getLast();
            if (last != null && last.start() + last.length() == start) {
                runs.set(runs.size() - 1, new DiskSource.Run(last.start(), last.length() + bytesPerCluster));
            } else {
                listing.run();
                source.check(start, bytesPerCluster);
                runs.add(new DiskSource.Run(start, bytesPerCluster));
            }
            cluster = next(cluster);
        }
        return runs;
    }

    /** A directory's bytes, following its chain to its end mark; bounded by the volume and MAX_TABLE_BYTES. */
    private byte[] readChain(long first, String path, DiskListing listing) throws IOException {
        long length = 0;
        long cluster = first;
        BitSet seen = new BitSet();
        List<Long> chain = new ArrayList<>();
        while (cluster >= 2 && cluster < clusters + 2) {
            if (seen.get((int) cluster)) {
                throw new IOException("the cluster chain of \"" + path + "\" loops");
            }
            seen.set((int) cluster);
            chain.add(cluster);
            length += bytesPerCluster;
            if (length > DiskListing.MAX_DIRECTORY_BYTES) {
                throw new IOException("the directory \"" + path + "\" is implausibly large");
            }
            cluster = next(cluster);
        }
        if (chain.isEmpty()) {
            throw new IOException("the directory \"" + path + "\" starts outside the volume");
        }
        listing.directory(length, path);
        byte[] bytes = new byte[(int) length];
        for (int i = 0; i < chain.size(); i++) {
            source.read(dataStart + (chain.get(i) - 2) * bytesPerCluster, bytes, i * bytesPerCluster, bytesPerCluster);
        }
        return bytes;
    }

    /** The FAT entry of {@code cluster}; end-of-chain and bad marks come out beyond the volume's clusters. */
    private long next(long cluster) throws IOException {
        long value;
        switch (bits) {
            case 12 -> {
                int at = (int) (cluster * 3 / 2);
                checkFat(at + 2);
                int pair = u16(fat, at);
                value = (cluster & 1) == 0 ? pair & 0xFFF : pair >> 4;
                return value >= 0xFF7 ? Long.MAX_VALUE : value;
            }
            case 16 -> {
                int at = (int) (cluster * 2);
                checkFat(at + 2);
                value = u16(fat, at);
                return value >= 0xFFF7 ? Long.MAX_VALUE : value;
            }
            default -> {
                int at = (int) (cluster * 4);
                checkFat(at + 4);
                value = IsoVolume.u32le(fat, at) & 0x0FFFFFFF;
                return value >= 0x0FFFFFF7 ? Long.MAX_VALUE : value;
            }
        }
    }

    private void checkFat(int end) throws IOException {
        if (end > fat.length) {
            throw new IOException("a cluster lies beyond the allocation table");
        }
    }

    static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }
}
